// expect: permute\(\) must name every axis of the tensor exactly once
//
// Permuting a {batch, heads, channels} tensor without naming "batch". (loom's message does
// not name the missing axis, so only the message is checked.)
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
