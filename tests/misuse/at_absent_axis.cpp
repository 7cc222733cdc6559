// expect: at\(\) remaps an axis the operand does not have
// expect: check_access_names.*"kernel_y"
//
// Shifting "kernel_y" with at(), an axis the tensor {batch, channels} does not have.
#include <loom/loom.hpp>

constexpr loom::axis<"channels"> c;
constexpr loom::axis<"kernel_y"> ky;

void misuse(const loom::tensor<float, "batch", "channels">& x) {
#ifdef LOOM_MISUSE
    auto e = x.at(ky = ky + 1);
#else
    auto e = x.at(c = c + 1);
#endif
    (void)e;
}
