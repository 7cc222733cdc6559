// expect: loom: this names an axis that the tensor or expression does not have
// expect: tensor_has_no_axis<"kernel_y">
//
// Shifting "kernel_y" with at(), an axis the tensor {batch, channels} does not have.
#include <loom/loom.hpp>

constexpr loom::axis<"channels"> c;
constexpr loom::axis<"kernel_y"> ky;

void misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    auto e = x.at(ky = ky + 1);
#else
    auto e = x.at(c = c + 1);
#endif
    (void)e;
}
