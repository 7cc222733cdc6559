// expect: loom: rename\(\) target is already an axis of the tensor
// expect: rename_target_exists<"batch">
//
// Renaming "heads" of a {batch, heads} tensor to "batch", which it already has.
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"heads"> h;
constexpr loom::axis<"channels"> c;

void misuse(const loom::tensor<float, "batch", "heads">& x) {
#ifdef LOOM_MISUSE
    auto v = x.rename(h, b);
#else
    auto v = x.rename(h, c);
#endif
    (void)v;
}
