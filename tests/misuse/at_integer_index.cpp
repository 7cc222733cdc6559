// expect: loom: at\(\) with an integer fixes an axis; use slice
//
// at() with an integer for one axis of two: that is a slice, not an element or an access.
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;

void misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    auto e = x.at(b = 1);
#else
    auto e = x.slice(b = 1);
#endif
    (void)e;
}
