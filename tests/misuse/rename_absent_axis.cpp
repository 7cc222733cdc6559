// expect: loom: this names an axis that the tensor or expression does not have
// expect: tensor_has_no_axis<"kernel_y">
//
// Renaming "kernel_y", an axis the tensor {batch, heads} does not have.
#include <loom/loom.hpp>

constexpr loom::axis<"heads"> h;
constexpr loom::axis<"channels"> c;
constexpr loom::axis<"kernel_y"> ky;

void misuse(const loom::tensor<float, "batch", "heads">& x) {
#ifdef LOOM_MISUSE
    auto v = x.rename(ky, c);
#else
    auto v = x.rename(h, c);
#endif
    (void)v;
}
