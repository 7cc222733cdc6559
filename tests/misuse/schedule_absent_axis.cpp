// expect: loom: a schedule names an axis that the expression does not have
// expect: schedule_names_absent_axis<"heads">
// A schedule that names an axis the expression lacks: a compile error naming the axis.
#include <loom/loom.hpp>

int main() {
    constexpr loom::axis<"batch"> b;
    constexpr loom::axis<"channels"> c;
    constexpr loom::axis<"heads"> h;
    (void)h;
    loom::tensor<float, "batch", "channels"> x({b = 2, c = 3}, 1.0f);
    loom::tensor<float, "batch", "channels"> y({b = 2, c = 3});
#ifdef LOOM_MISUSE
    y.assign(loom::simd.with(loom::vectorize(h)), x * 2.0f);
#else
    y.assign(loom::simd.with(loom::vectorize(c)), x * 2.0f);
#endif
    return y(b = 1, c = 2) == 2.0f ? 0 : 1;
}
