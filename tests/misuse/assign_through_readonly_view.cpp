// expect: loom: cannot assign through a read-only view
// expect: (basic_tensor_view<const float,|T = const float;)
//
// Assigning an expression through the view of a const tensor, which is read-only.
#include <loom/loom.hpp>

void misuse(const loom::tensor<float, "batch", "channels">& cx,
            loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    cx.view() = cx * 2.0f;
    (void)x;
#else
    x.view() = cx * 2.0f;
#endif
}
