// expect: loom: this names an axis that the tensor or expression does not have
// expect: tensor_has_no_axis<"kernel_y">
//
// A generator function that reads the index of "kernel_y" at points of a {batch, channels}
// tensor.
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"channels"> c;
constexpr loom::axis<"kernel_y"> ky;

void misuse() {
#ifdef LOOM_MISUSE
    loom::tensor<float, "batch", "channels"> t({b = 2, c = 3},
                                               [](const auto& p) { return float(p[ky]); });
#else
    loom::tensor<float, "batch", "channels"> t({b = 2, c = 3},
                                               [](const auto& p) { return float(p[c]); });
#endif
    (void)t;
}
