// expect: loom: rename\(\) target is already an axis of the expression
// expect: rename_target_exists<"batch">
//
// Renaming "heads" of a {batch, heads} expression to "batch", which it already has.
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"heads"> h;
constexpr loom::axis<"channels"> c;

void misuse(const loom::tensor<float, "batch", "heads">& x) {
#ifdef LOOM_MISUSE
    auto e = loom::rename(x * 2.0f, h, b);
#else
    auto e = loom::rename(x * 2.0f, h, c);
#endif
    (void)e;
}
