// expect: loom: the expression has an axis that the destination lacks
// expect: destination_lacks_axis<"features">
// expect: loom: the destination has an axis that the expression lacks
// expect: expression_lacks_axis<"channels">
//
// Assigning an expression with axes {batch, features} to a tensor with axes {batch, channels}:
// the contraction over "channels" leaves "features", which the destination lacks, and the
// destination's "channels" is not in the expression. Both are reported.
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
