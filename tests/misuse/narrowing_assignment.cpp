// expect: loom: assigning would narrow the element type; write loom::cast
// expect: narrowing_assignment<double, float>
//
// Assigning a double expression to a float tensor, which would narrow silently.
#include <loom/loom.hpp>

void misuse(const loom::tensor<double, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    loom::tensor<float, "batch", "channels"> y = x * 2.0;
#else
    loom::tensor<float, "batch", "channels"> y = loom::cast<float>(x * 2.0);
#endif
    (void)y;
}
