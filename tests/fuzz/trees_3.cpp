// Fuzz trees 3·N .. 3·N + N - 1 (N = LOOM_FUZZ_TREES_PER_UNIT).
#include "trees.hpp"

void fuzz::add_trees_3(std::vector<tree_entry>& out) {
    add_trees<3 * LOOM_FUZZ_TREES_PER_UNIT>(out, std::make_integer_sequence<int, LOOM_FUZZ_TREES_PER_UNIT>{});
}
