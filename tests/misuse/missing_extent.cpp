// expect: loom: an axis of the tensor was given no index or extent
// expect: missing_value_for_axis<"heads">
//
// A shape for axes {batch, heads} without an extent for "heads", which has no static extent.
// (A braced list, `tensor t({b = 2})`, is only checked at run time: it throws shape_error.)
#include <loom/loom.hpp>

constexpr loom::axis<"batch"> b;
constexpr loom::axis<"heads"> h;

using tensor_type = loom::tensor<float, "batch", "heads">;

void misuse() {
#ifdef LOOM_MISUSE
    tensor_type t(tensor_type::shape_type(b = 2));
#else
    tensor_type t(tensor_type::shape_type(b = 2, h = 4));
#endif
    (void)t;
}
