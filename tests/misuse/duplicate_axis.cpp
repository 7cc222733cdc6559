// expect: loom: a tensor type or expression names the same axis twice
// expect: axis_named_twice<"batch">
//
// A tensor type that names the axis "batch" twice. (The declaration alone is accepted; the
// error comes with the first use of the tensor's elements.)
#include <loom/loom.hpp>

void misuse() {
#ifdef LOOM_MISUSE
    loom::tensor<float, "batch", "batch"> t;
#else
    loom::tensor<float, "batch", "heads"> t;
#endif
    t.fill(1.0f);
}
