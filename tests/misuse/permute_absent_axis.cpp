// expect: loom: this names an axis that the tensor or expression does not have
// expect: tensor_has_no_axis<"kernel_y">
//
// Permuting a {batch, channels} tensor into (channels, kernel_y): "kernel_y" is not one of
// its axes.
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"channels"> c;
constexpr loom::axis<"kernel_y"> ky;

void misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    auto v = x.permute(c, ky);
#else
    auto v = x.permute(c, b);
#endif
    (void)v;
}
