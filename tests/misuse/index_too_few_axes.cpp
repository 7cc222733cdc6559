// expect: loom: an axis of the tensor was given no index or extent
// expect: missing_value_for_axis<"batch">
// expect: missing_value_for_axis<"channels">
//
// Indexing a {batch, heads, channels} tensor by "heads" alone: both axes left out, "batch"
// and "channels", are reported. (index_missing_axis leaves out one.)
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"heads"> h;
constexpr loom::axis<"channels"> c;

float misuse(const loom::tensor<float, "batch", "heads", "channels">& x) {
#ifdef LOOM_MISUSE
    return x(h = 1);
#else
    return x(b = 0, h = 1, c = 0);
#endif
}
