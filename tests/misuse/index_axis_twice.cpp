// expect: loom: a tensor type or expression names the same axis twice
// expect: axis_named_twice<"batch">
//
// Indexing a {batch, channels} tensor with "batch" given twice.
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"channels"> c;

float misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    return x(b = 1, b = 2);
#else
    return x(b = 1, c = 2);
#endif
}
