// expect: loom: this names an axis that the tensor or expression does not have
// expect: tensor_has_no_axis<"kernel_y">
//
// Asking a {batch, channels} tensor for the extent of "kernel_y".
#include <loom/loom.hpp>

constexpr loom::axis<"channels"> c;
constexpr loom::axis<"kernel_y"> ky;

loom::index_t misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    return x.extent(ky);
#else
    return x.extent(c);
#endif
}
