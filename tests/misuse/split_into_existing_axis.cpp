// expect: loom: a tensor type or expression names the same axis twice
// expect: axis_named_twice<"batch">
//
// Splitting "channels" of a {batch, channels} tensor into an outer axis called "batch".
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"channels"> c;
constexpr loom::axis<"groups"> g;
constexpr loom::axis<"lanes"> l;

void misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    auto v = x.split(c, b, l = 4);
#else
    auto v = x.split(c, g, l = 4);
#endif
    (void)v;
}
