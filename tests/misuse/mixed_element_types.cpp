// expect: loom: operands have different element types; convert one with loom::cast
// expect: mixed_element_types<float, double>
//
// Adding a float tensor to a double tensor: loom converts element types only by a cast.
#include <loom/loom.hpp>

void misuse(const loom::tensor<float, "batch", "channels">& x,
            const loom::tensor<double, "batch", "channels">& y) {
#ifdef LOOM_MISUSE
    loom::tensor<float, "batch", "channels"> z = x + y;
#else
    loom::tensor<float, "batch", "channels"> z = x + loom::cast<float>(y);
#endif
    (void)z;
}
