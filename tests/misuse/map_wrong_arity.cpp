// expect: loom: map\(\) needs a function callable with the operands' element types
//
// map() with a two-argument function but one operand.
#include <loom/loom.hpp>

void misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    auto e = loom::map([](float a, float b) { return a * b; }, x);
#else
    auto e = loom::map([](float a, float b) { return a * b; }, x, x);
#endif
    (void)e;
}
