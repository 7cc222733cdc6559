// expect: loom: a tensor type or expression names the same axis twice
// expect: axis_named_twice<"channels">
//
// Summing over "channels" twice.
#include <loom/loom.hpp>

constexpr loom::axis<"heads"> h;
constexpr loom::axis<"channels"> c;

void misuse(const loom::tensor<float, "batch", "heads", "channels">& x) {
#ifdef LOOM_MISUSE
    loom::tensor<float, "batch"> y = loom::sum(x, c, c);
#else
    loom::tensor<float, "batch"> y = loom::sum(x, c, h);
#endif
    (void)y;
}
