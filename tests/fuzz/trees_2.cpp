// Fuzz trees 2·N .. 2·N + N - 1 (N = LOOM_FUZZ_TREES_PER_UNIT).
#include "trees.hpp"

void fuzz::add_trees_2(std::vector<tree_entry>& out) {
    add_trees<2 * LOOM_FUZZ_TREES_PER_UNIT>(out, std::make_integer_sequence<int, LOOM_FUZZ_TREES_PER_UNIT>{});
}
