// expect: loom: an axis of the tensor was given no index or extent
// expect: missing_value_for_axis<"batch">
// expect: loom: permute\(\) must name every axis of the tensor exactly once
//
// Permuting a {batch, heads, channels} tensor without naming "batch".
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"heads"> h;
constexpr loom::axis<"channels"> c;

void misuse(const loom::tensor<float, "batch", "heads", "channels">& x) {
#ifdef LOOM_MISUSE
    auto v = x.permute(c, h);
#else
    auto v = x.permute(c, h, b);
#endif
    (void)v;
}
