// expect: loom: an axis of the tensor was given no index or extent
// expect: missing_value_for_axis<"channels">
//
// Indexing a {batch, channels} tensor by "batch" alone: "channels" gets no index.
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"channels"> c;

float misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    return x(b = 1);
#else
    return x(b = 1, c = 0);
#endif
}
