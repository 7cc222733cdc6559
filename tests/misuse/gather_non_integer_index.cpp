// expect: loom: a gather's index tensor must hold integers
//
// A gather (`table.at(vocab = ids)`) whose index tensor holds floats.
#include <loom/loom.hpp>

constexpr loom::axis<"vocab"> v;

void misuse(const loom::tensor<float, "vocab", "features">& table,
            const loom::tensor<float, "batch", "tokens">& float_ids,
            const loom::tensor<int, "batch", "tokens">& ids) {
#ifdef LOOM_MISUSE
    auto e = table.at(v = float_ids);
#else
    auto e = table.at(v = ids);
    (void)float_ids;
#endif
    (void)e;
}
