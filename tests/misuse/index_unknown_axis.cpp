// expect: loom: this names an axis that the tensor or expression does not have
// expect: tensor_has_no_axis<"kernel_y">
//
// Indexing {batch, channels} with "kernel_y", an axis the tensor does not have.
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"channels"> c;
constexpr loom::axis<"kernel_y"> ky;

float misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    return x(b = 1, ky = 2);
#else
    return x(b = 1, c = 2);
#endif
}
