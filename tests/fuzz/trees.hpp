// The compiled fuzz trees, in a few translation units (trees_*.cpp) so two cores can build
// them at once. LOOM_FUZZ_STRUCTURE_SEED picks which trees: a long run may rebuild with
// another to draw new shapes.
#pragma once

#include "check.hpp"

#ifndef LOOM_FUZZ_STRUCTURE_SEED
#define LOOM_FUZZ_STRUCTURE_SEED 1
#endif
#ifndef LOOM_FUZZ_TREES_PER_UNIT
#define LOOM_FUZZ_TREES_PER_UNIT 16
#endif

namespace fuzz {

// Tree number `Index`: its seed, element type (one in four is float) and depth (3 or 4).
template <int Index>
inline constexpr std::uint64_t tree_seed = mix(std::uint64_t(LOOM_FUZZ_STRUCTURE_SEED) * 1000003u + Index);
template <int Index>
using tree_number = tree<std::conditional_t<tree_seed<Index> % 4 == 0, float, double>, tree_seed<Index>,
                         3 + int((tree_seed<Index> >> 50) % 2)>;

template <int Index>
std::string run_tree_number(std::uint64_t seed, double budget, stats& st) {
    static const std::string name = "#" + std::to_string(Index);
    return run_entry<tree_number<Index>>(seed, budget, st, name.c_str());
}

// Appends trees First .. First + Count - 1.
template <int First, int... K>
void add_trees(std::vector<tree_entry>& out, std::integer_sequence<int, K...>) {
    (out.push_back({"#" + std::to_string(First + K), tree_number<First + K>::nodes, &run_tree_number<First + K>}), ...);
}

// Each translation unit's trees.
void add_trees_0(std::vector<tree_entry>& out);
void add_trees_1(std::vector<tree_entry>& out);
void add_trees_2(std::vector<tree_entry>& out);
void add_trees_3(std::vector<tree_entry>& out);

}  // namespace fuzz
