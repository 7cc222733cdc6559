// expect: the destination and the expression have different axes
// expect: check_assign_axes.*"features"
//
// Assigning an expression with axes {batch, features} to a tensor with axes {batch, channels}:
// the contraction over "channels" leaves "features", which the destination lacks.
#include <loom/loom.hpp>

constexpr loom::axis<"channels"> c;

void misuse(const loom::tensor<float, "batch", "channels">& x,
            const loom::tensor<float, "channels", "features">& w) {
#ifdef LOOM_MISUSE
    loom::tensor<float, "batch", "channels"> y = loom::sum(x * w, c);
#else
    loom::tensor<float, "batch", "features"> y = loom::sum(x * w, c);
#endif
    (void)y;
}
