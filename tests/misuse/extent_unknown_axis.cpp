// expect: loom: this names an axis that the tensor or expression does not have
// expect: tensor_has_no_axis<"kernel_y">
//
// Constructing a tensor with axes {batch, heads} with an extent for "kernel_y".
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"heads"> h;
constexpr loom::axis<"kernel_y"> ky;

void misuse() {
#ifdef LOOM_MISUSE
    loom::tensor<float, "batch", "heads"> t({b = 2, h = 4, ky = 3});
#else
    loom::tensor<float, "batch", "heads"> t({b = 2, h = 4});
#endif
    (void)t;
}
