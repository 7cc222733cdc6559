// expect: loom: where\(\) needs a bool condition
//
// where() with a float tensor as its condition instead of a comparison.
#include <loom/loom.hpp>

void misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    auto e = loom::where(x, x, 0.0f);
#else
    auto e = loom::where(x > 0.0f, x, 0.0f);
#endif
    (void)e;
}
