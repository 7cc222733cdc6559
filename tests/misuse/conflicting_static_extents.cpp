// expect: loom: one axis is declared with two different static extents
// expect: conflicting_static_extents<"kernel_y", 3, 5>
//
// Adding tensors whose axis "kernel_y" has the static extents 3 and 5.
#include <loom/loom.hpp>

using ky3 = loom::axis<"kernel_y", 3>;
#ifdef LOOM_MISUSE
using ky_other = loom::axis<"kernel_y", 5>;
#else
using ky_other = loom::axis<"kernel_y", 3>;
#endif

void misuse(const loom::tensor<float, "batch", ky3{}>& x,
            const loom::tensor<float, "batch", ky_other{}>& y) {
    auto e = x + y;
    (void)e;
}
