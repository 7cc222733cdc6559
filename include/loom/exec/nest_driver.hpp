/// \file
/// \brief The loops around a nest's kernels, as plain functions. They walk the rows, blocks
/// and transposed tiles of a box of the destination and call the expression's kernels
/// through function pointers: compiled once per program, not once per expression (they
/// were most of an assignment's code, and of loom's compile time).
#pragma once

#include <loom/axes/axis_list.hpp>
#include <loom/config.hpp>
#include <loom/shape/index_array.hpp>
#include <loom/storage/buffer.hpp>

#include <algorithm>
#include <cstddef>

LOOM_BEGIN_NAMESPACE
namespace detail {

// Most axes of a nest that simd and par run (the drivers keep boxes in fixed arrays).
inline constexpr std::size_t max_nest_rank = 16;

// A nest as plain values: the destination, and the planner's (or a schedule's) choices.
struct nest_layout {
    std::size_t rank = 0;
    char* data = nullptr;              // the destination's element at index 0
    const index_t* strides = nullptr;  // the destination's strides, in elements
    std::size_t element_size = 0;
    index_t width = 1;                 // elements per pack
    std::size_t vec = npos;            // the vector axis
    std::size_t tile_axis = npos;      // packs run along it into a buffer stored transposed
    std::size_t block_axis = npos;     // with vec, run in square blocks of `block`
    index_t block = 16;
    index_t max_tile_span = 0;         // most elements of the tile axis per buffer row
    bool accumulate = false;           // a top reduction swept row by row into the destination
    std::size_t row_axis = npos;       // in a sweep, rows accumulated in register groups
    index_t reduction_count = 0;       // terms per element of the sweep
    index_t reduction_first = 0;       // extent of the first reduced axis
    index_t reduction_block = 0;       // its block per pass; 0: chosen from the row length
    const index_t* order = nullptr;    // outer loops, outermost first; null: by position
};

// The expression's side of a nest: kernels that read the point in `index` (which the
// driver sets) and the context they were made with.
struct nest_kernels {
    void* context = nullptr;
    index_t* index = nullptr;
    // Evaluates the row [begin, end) along axis `inner` (filling its hoisted values first).
    void (*row)(void* context, std::size_t inner, index_t begin, index_t end) = nullptr;
    // Packs along the tile axis, [u0, u1), for the vector index in index[vec], into row
    // index[vec] - v0 of `buffer` (rows `span` elements long).
    void (*tile_row)(void* context, index_t u0, index_t u1, void* buffer, index_t span,
                     index_t v0) = nullptr;
    // Writes nv buffer rows of nu elements into the destination, transposed.
    void (*store_tile)(const void* buffer, index_t span, index_t nu, index_t nv, void* dst,
                       index_t stride) = nullptr;
    // Sets n contiguous destination elements to the reducer's start, or finishes them.
    void (*sweep_row)(void* context, char* row, index_t n, bool finish) = nullptr;
    // Adds the terms with the first reduced index in [r0, r1) to the row [begin, end).
    void (*accumulate_row)(void* context, index_t begin, index_t end, index_t r0,
                           index_t r1) = nullptr;
    // The same for rows [i0, i1) of the row axis, in register groups.
    void (*accumulate_rows)(void* context, index_t i0, index_t i1, index_t begin, index_t end,
                            index_t r0, index_t r1) = nullptr;
};

// Calls row(begin, end) for every row along axis `inner` of the box where axis k runs over
// [from[k], to[k]), with index[k] set to the row's point (index[inner] to from[inner]). The
// outer loops run in the order `order` lists them, outermost first, or else by position.
template <class Row>
void for_each_row(std::size_t rank, index_t* index, const index_t* from, const index_t* to,
                  std::size_t inner, const index_t* order, Row&& row) {
    for (std::size_t k = 0; k < rank; ++k) {
        if (to[k] <= from[k]) return;  // empty
        index[k] = from[k];
    }
    for (;;) {
        row(from[inner], to[inner]);
        bool more = false;
        for (std::size_t n = rank; n-- > 0;) {  // the innermost outer loop first
            const std::size_t k = order ? std::size_t(order[n]) : n;
            if (k == inner) continue;
            if (++index[k] < to[k]) {
                more = true;
                break;
            }
            index[k] = from[k];
        }
        if (!more) return;
    }
}

inline index_t offset_of(std::size_t rank, const index_t* index, const index_t* strides) {
    index_t off = 0;
    for (std::size_t k = 0; k != rank; ++k) off += index[k] * strides[k];
    return off;
}

// The upper corner of the box [from, to) cut to one index along axis j (that axis's loop
// then runs inside a kernel, not in for_each_row).
inline index_array<max_nest_rank> one_along(std::size_t rank, const index_t* from,
                                            const index_t* to, std::size_t j) {
    index_array<max_nest_rank> out{};
    std::copy_n(to, rank, out.data());
    out[j] = std::min(to[j], from[j] + 1);
    return out;
}

// The axis rows run along: the vector axis, else the order's innermost, else the last.
inline std::size_t inner_axis(const nest_layout& n) {
    return n.vec != npos ? n.vec : (n.order ? std::size_t(n.order[n.rank - 1]) : n.rank - 1);
}

// A top reduction swept into the destination: rows start at the reducer's initial value,
// then blocks of the first reduced axis (sized so an operand block stays in the L2 cache)
// are added to every row, then the rows are finished.
LOOM_NOINLINE inline void run_sweep(const nest_layout& n, const nest_kernels& k,
                                    const index_t* from, const index_t* to) {
    const std::size_t v = n.vec;
    const index_t row_len = to[v] - from[v];
    const index_t block = n.reduction_block > 0
                              ? n.reduction_block
                              : std::max<index_t>(1, index_t(256 * 1024 / n.element_size) /
                                                         std::max<index_t>(1, row_len));
    auto each_row = [&](bool finish) {
        for_each_row(n.rank, k.index, from, to, v, n.order, [&](index_t b, index_t e) {
            k.index[v] = b;
            char* row = n.data + offset_of(n.rank, k.index, n.strides) * index_t(n.element_size);
            k.sweep_row(k.context, row, e - b, finish);
        });
    };
    each_row(false);
    if (n.reduction_count > 0) {
        for (index_t r0 = 0; r0 < n.reduction_first; r0 += block) {
            const index_t r1 = std::min(n.reduction_first, r0 + block);
            if (n.row_axis != npos) {  // rows in groups, their packs held in registers
                const std::size_t j = n.row_axis;
                const auto once = one_along(n.rank, from, to, j);
                for_each_row(n.rank, k.index, from, once.data(), v, n.order,
                             [&](index_t b, index_t e) {
                                 k.accumulate_rows(k.context, from[j], to[j], b, e, r0, r1);
                             });
                continue;
            }
            for_each_row(n.rank, k.index, from, to, v, n.order, [&](index_t b, index_t e) {
                k.accumulate_row(k.context, b, e, r0, r1);
            });
        }
    }
    each_row(true);
}

// Evaluates the elements whose index along each axis k lies in [from[k], to[k]).
LOOM_NOINLINE inline void run_box(const nest_layout& n, const nest_kernels& k,
                                  const index_t* from, const index_t* to) {
    if (n.accumulate && n.vec != npos) return run_sweep(n, k, from, to);
    const std::size_t inner = inner_axis(n);
    for_each_row(n.rank, k.index, from, to, inner, n.order,
                 [&](index_t b, index_t e) { k.row(k.context, inner, b, e); });
}

// Transposing runs: for each point of the other axes, strips of `width` rows along the
// vector axis, each row evaluated in packs along the tile axis into a buffer, which is then
// written into the destination in width x width blocks transposed in registers.
LOOM_NOINLINE inline void run_tiles(const nest_layout& n, const nest_kernels& k,
                                    const index_t* from, const index_t* to) {
    const std::size_t t = n.tile_axis, v = n.vec;
    const index_t W = n.width;
    const index_t span = std::min(n.max_tile_span, (to[t] - from[t] + W - 1) / W * W);
    if (span <= 0) return;
    aligned_buffer<unsigned char> buffer(W * span * index_t(n.element_size));
    const auto once = one_along(n.rank, from, to, t);  // the tile axis runs in the kernel
    for_each_row(n.rank, k.index, from, once.data(), v, n.order, [&](index_t v_lo, index_t v_hi) {
        for (index_t u0 = from[t]; u0 < to[t]; u0 += span) {
            const index_t nu = std::min(span, to[t] - u0);
            for (index_t v0 = v_lo; v0 < v_hi; v0 += W) {
                const index_t nv = std::min(W, v_hi - v0);
                for (index_t r = 0; r < nv; ++r) {
                    k.index[v] = v0 + r;
                    k.tile_row(k.context, u0, u0 + nu, buffer.data(), span, v0);
                }
                k.index[v] = v0, k.index[t] = u0;  // element (u0, v0); rows strides[t] apart
                k.store_tile(buffer.data(), span, nu, nv,
                             n.data + offset_of(n.rank, k.index, n.strides) *
                                          index_t(n.element_size),
                             n.strides[t]);
            }
        }
    });
}

// Runs the nest over [lo, hi) of the axis at position `split` (all of every other axis).
LOOM_NOINLINE inline void run_nest(const nest_layout& n, const nest_kernels& k,
                                   const index_t* extents, std::size_t split, index_t lo,
                                   index_t hi) {
    index_array<max_nest_rank> from{}, to{};
    std::copy_n(extents, n.rank, to.data());
    from[split] = lo, to[split] = hi;
    if (n.tile_axis != npos && n.vec != npos) return run_tiles(n, k, from.data(), to.data());
    if (n.block_axis == npos || n.vec == npos) return run_box(n, k, from.data(), to.data());
    // Square blocks over the vector axis and block_axis: the strided reads of one block
    // touch few cache lines, and the next row of the block reuses them (a transpose).
    const std::size_t o = n.block_axis, v = n.vec;
    for (index_t o0 = from[o]; o0 < to[o]; o0 += n.block) {
        for (index_t v0 = from[v]; v0 < to[v]; v0 += n.block) {
            index_array<max_nest_rank> bf = from, bt = to;
            bf[o] = o0, bt[o] = std::min(to[o], o0 + n.block);
            bf[v] = v0, bt[v] = std::min(to[v], v0 + n.block);
            run_box(n, k, bf.data(), bt.data());
        }
    }
}

}  // namespace detail
LOOM_END_NAMESPACE
