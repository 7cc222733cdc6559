/// \file
/// \brief The planner's run-time choices for a loop nest (vector axis, sweep, register
/// groups, transposed tiles, blocks, streaming stores) as plain functions of plain values:
/// an expression contributes only what its type says per axis, and the choosing is compiled
/// once per program.
#pragma once

#include <loom/axes/axis_list.hpp>
#include <loom/config.hpp>

#include <cstddef>
#include <cstdlib>

LOOM_BEGIN_NAMESPACE
namespace detail {

// What the planner knows of one assignment: the destination and, per destination axis, what
// the expression reads along it.
struct nest_facts {
    std::size_t rank = 0;
    const index_t* extents = nullptr;  // the destination's
    const index_t* strides = nullptr;  // the destination's
    const index_t* strided = nullptr;  // per axis: leaves read with a stride other than 1
    const bool* shared = nullptr;      // per axis: some leaf is the same along it
    bool packs = false;                // the nest can run in packs of `width`
    index_t width = 1;
    std::size_t element_size = 0;
    bool reduction = false;             // the expression is a reduction
    bool contiguous_reduction = false;  // it can vectorise along a contiguous reduced axis
    bool can_accumulate = false;        // it can be swept row by row into the destination
    index_t reduction_count = 0;        // its terms per element
};

// The planner's choices; npos or false where an option is not taken.
struct nest_choice {
    std::size_t vec = npos;         // packs run along it
    bool accumulate = false;        // a top reduction swept into the destination
    std::size_t row_axis = npos;    // in the sweep, rows grouped in registers along it
    std::size_t tile_axis = npos;   // packs along it, stored transposed
    std::size_t block_axis = npos;  // with vec, square blocks
    bool stream = false;            // streaming stores
};

// The vector axis: a destination axis of stride 1 along which the fewest leaves are strided;
// none when the top reduction can instead vectorise along a contiguous reduced axis.
inline std::size_t choose_vector_axis(const nest_facts& f) {
    if (!f.packs) return npos;
    std::size_t best = npos;
    for (std::size_t k = 0; k < f.rank; ++k) {
        if (f.strides[k] != 1 || f.extents[k] < 2) continue;
        if (best == npos || f.strided[k] < f.strided[best]) best = k;
    }
    if (f.reduction && best != npos && f.strided[best] > 0 && f.contiguous_reduction) return npos;
    return best;
}

// Sweep a top reduction into the destination row by row when the row is long enough to
// amortise it and the reduction has enough steps to benefit.
inline bool choose_accumulate(const nest_facts& f, std::size_t vec) {
    if (!f.can_accumulate || vec == npos || f.strides[vec] != 1) return false;
    return f.extents[vec] >= 64 && f.reduction_count >= 8;
}

// In a sweep, the destination axis (other than the vector axis) with the smallest stride and
// at least 4 rows along which some leaf is constant: its rows are accumulated in groups in
// registers and share that leaf's loads. (Rows that share nothing keep the row order, which
// reads each row's operand as one stream.)
inline std::size_t choose_row_axis(const nest_facts& f, const nest_choice& c) {
    if (!c.accumulate || f.rank < 2) return npos;
    std::size_t best = npos;
    for (std::size_t k = 0; k < f.rank; ++k) {
        if (k == c.vec || f.extents[k] < 4 || !f.shared[k]) continue;
        if (best == npos || std::abs(f.strides[k]) < std::abs(f.strides[best])) best = k;
    }
    return best;
}

// For a vector axis along which some leaves are strided (a transpose), the destination axis
// of at least a pack's extent along which the fewest leaves are strided, if fewer: packs run
// along it and are transposed into the destination.
inline std::size_t choose_tile_axis(const nest_facts& f, const nest_choice& c) {
    if (!f.packs || f.rank < 2 || c.vec == npos || c.accumulate) return npos;
    std::size_t best = npos;
    for (std::size_t k = f.rank; k-- > 0;) {
        if (k == c.vec || f.extents[k] < f.width) continue;
        if (f.strided[k] < f.strided[best == npos ? c.vec : best]) best = k;
    }
    return best;
}

// Blocks for a vectorised axis along which some leaves are strided (a transpose): the
// other axis blocked with it is the destination's innermost other axis.
inline std::size_t choose_block_axis(const nest_facts& f, const nest_choice& c) {
    if (f.rank < 2 || c.vec == npos || c.accumulate || f.strided[c.vec] == 0) return npos;
    for (std::size_t k = f.rank; k-- > 0;)
        if (k != c.vec && f.extents[k] > 1) return k;
    return npos;
}

// Streaming stores for an element-wise destination much larger than the caches, written
// once: the stores then do not first read each cache line. Only along the destination type's
// last axis (where a tensor is contiguous): the other axes' rows compile without that loop.
inline bool choose_stream(const nest_facts& f, const nest_choice& c) {
    if (!f.packs || f.rank == 0 || c.vec != f.rank - 1 || f.strides[c.vec] != 1) return false;
    if (c.accumulate || c.block_axis != npos || c.tile_axis != npos) return false;
    index_t size = 1;
    for (std::size_t k = 0; k < f.rank; ++k) size *= f.extents[k];
    return size * index_t(f.element_size) >= index_t(8) * 1024 * 1024;
}

// The planner's choices for a nest whose vector axis is `vec`: sweep a top reduction, run in
// transposed tiles or square blocks, stream the stores.
inline nest_choice choose_layout(const nest_facts& f, std::size_t vec) {
    nest_choice c;
    c.vec = vec;
    c.accumulate = choose_accumulate(f, vec);
    c.row_axis = choose_row_axis(f, c);
    c.tile_axis = choose_tile_axis(f, c);
    if (c.tile_axis == npos) c.block_axis = choose_block_axis(f, c);
    c.stream = choose_stream(f, c);
    return c;
}

// The planner's choices for a nest: the vector axis, then the layout along it.
inline nest_choice choose_nest(const nest_facts& f) { return choose_layout(f, choose_vector_axis(f)); }

}  // namespace detail
LOOM_END_NAMESPACE
