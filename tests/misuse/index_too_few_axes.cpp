// expect: index every axis of the tensor by name
//
// Indexing a {batch, channels} tensor by "batch" alone. (loom's message does not name the
// axis left out, "channels", so only the message is checked.)
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
