// expect: loom: a reduction names an axis that the expression does not have
// expect: reduced_axis_not_in_expression<"kernel_y">
//
// Summing over "kernel_y", an axis the operand {batch, channels} does not have.
#include <loom/loom.hpp>

constexpr loom::axis<"channels"> c;
constexpr loom::axis<"kernel_y"> ky;

void misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    loom::tensor<float, "batch"> y = loom::sum(x, ky);
#else
    loom::tensor<float, "batch"> y = loom::sum(x, c);
#endif
    (void)y;
}
