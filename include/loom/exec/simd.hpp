/// \file
/// \brief The `simd` executor: plans the loop nest (which axis is vectorised, which
/// reductions are hoisted into temporaries) and runs it with xsimd packs, a scalar tail for
/// extents that are not a multiple of the pack width, and lane-by-lane evaluation for nodes
/// without a SIMD form.
#pragma once

#include <loom/exec/assign_checks.hpp>
#include <loom/exec/policy.hpp>
#include <loom/exec/simd/evaluate.hpp>
#include <loom/plan/gemm.hpp>
#include <loom/plan/nest_choice.hpp>
#include <loom/exec/hoisted.hpp>
#include <loom/exec/loop_plan.hpp>
#include <loom/exec/nest_driver.hpp>
#include <loom/plan/schedule.hpp>
#include <loom/storage/buffer.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <typeinfo>
#include <string>
#include <vector>

LOOM_BEGIN_SIMD_CODE
LOOM_BEGIN_NAMESPACE

/// The SIMD policy: one thread, packs along the vectorised axis. Results equal `seq`'s up to
/// floating-point reassociation in reductions (which accumulate in several lanes).
struct simd_policy {
    static constexpr const char* name = "simd";  ///< Name in explain() output.
    bool plugins = true;  ///< Let registered tuned kernels (GEMM) replace matching patterns.

    /// This policy with a schedule: `loom::simd.with(loom::vectorize(j), loom::tile(b, 64))`.
    template <class... D>
    constexpr auto with(D... d) const {
        return with_schedule(*this, d...);
    }
};
/// The SIMD policy: `y.assign(loom::simd, e)`.
inline constexpr simd_policy simd{};

namespace detail {

// Runs a bound, hoisted expression into `dst` over the index range [lo, hi) of the axis at
// position `split` (all of every other axis), vectorised along the axis at position `vec`.
// Only a schedule (`Scheduled`) unrolls, orders the loops, or vectorises an axis that is
// strided in the destination: the planner's loops compile without those paths. The loops
// themselves are the plain functions of nest_driver.hpp; this holds the kernels they call.
template <class T, class Axes, class B, bool Scheduled = false>
struct vector_loop {
    using value_type = T;
    using axes_type = Axes;
    using tree_type = B;
    basic_tensor_view<T, Axes> dst;
    B tree;
    std::size_t vec = npos;
    bool accumulate = false;  // a top reduction swept row by row into the destination

    static constexpr bool packs = std::is_same_v<typename B::value_type, T> &&
                                  simd::packable<T, T>;
    static constexpr bool can_accumulate = [] {
        if constexpr (B::kind == node_kind::reduce && packs) {
            using C = std::remove_cvref_t<decltype(std::declval<B>().child)>;
            return simd::lane_reducer<std::remove_cvref_t<decltype(std::declval<B>().reducer)>> &&
                   std::is_same_v<typename C::value_type, T>;
        } else {
            return false;
        }
    }();

    // Whether the nest's rows follow one another in memory, in the destination and in every
    // leaf alike (all dense, in one layout), with nothing to do between rows: then it runs as
    // one row (a 32x64 `x + 1` runs 4x faster than as 32 rows of 64).
    bool flat() const {
        if constexpr (Axes::size == 0 || Scheduled || !packs || !simd::flattens<Axes, B>())
            return false;
        else return runs_flat();
    }
    // Runs the nest (out of line: par calls it directly and from each thread's chunks).
    LOOM_NOINLINE void run(std::size_t split, index_t lo, index_t hi) const {
        if constexpr (Axes::size == 0) {
            *dst.data() = static_cast<T>(simd::scalar_eval<T>(tree, point<Axes>{}));
        } else {
            if constexpr (!Scheduled && packs && simd::flattens<Axes, B>())
                if (split == 0 && flat()) return run_flat(lo, hi);
            context c{this};
            detail::run_nest(layout(), kernels(c), dst.shape().extent, split, lo, hi);
            if (stream) simd::stream_fence();
        }
    }

    bool stream = false;            // store packs past the cache (a huge destination)
    std::size_t block_axis = npos;  // with the vector axis, run in square blocks of `block`
    index_t block = 16;
    // With the vector axis (contiguous in the destination), an axis along which the leaves
    // are contiguous: packs run along it into a buffer that is stored transposed.
    std::size_t tile_axis = npos;
    // In a top reduction's sweep, a second destination axis whose rows are accumulated four
    // at a time in registers.
    std::size_t row_axis = npos;
    // Accumulators per group: 3 rows x 4 packs with AVX-512's 32 registers (measured best for
    // a 1024^3 product: 7 loads per 12 FMAs), 4 x 2 with the 16 of AVX and SSE.
    static constexpr int tile_rows_count = simd::width<T> * sizeof(T) == 64 ? 3 : 4;
    static constexpr int tile_packs = simd::width<T> * sizeof(T) == 64 ? 4 : 2;
    // Most elements of the tile axis per buffer row: the buffer (width x span) is at most
    // 256 KiB. Long rows matter: a 4096x4096 transpose runs 1.5x faster with 4096 than 256.
    static constexpr index_t max_tile_span = index_t(262144 / (simd::width<T> * sizeof(T)));

    // Evaluates the elements whose index along each axis k lies in [from[k], to[k]).
    void run_box(const index_array<Axes::size>& from, const index_array<Axes::size>& to) const {
        if constexpr (Axes::size == 0) {
            run(0, 0, 1);
        } else {
            context c{this};
            detail::run_box(layout(), kernels(c), from.data(), to.data());
        }
    }

    // Hoisted temporaries filled one element per row, just before the row, or null.
    const hoisted_fills* rows = nullptr;
    // Fills the hoisted temporaries now, or has the nest fill them per row (see
    // hoisted_fills::attach); `per_row` is false when the rows are split.
    void attach(const hoisted_fills& fills, bool dry = false, bool per_row = true) {
        const bool whole_rows = !accumulate && block_axis == npos && tile_axis == npos;
        rows = fills.attach(vec, whole_rows, stream, dry, per_row);
    }

    std::size_t unroll = 1;         // packs per iteration of the vectorised loop
    index_t reduction_block = 0;    // block of the first reduced axis in a sweep; 0: chosen
    index_array<Axes::size> order{};  // outer loops, outermost first (the inner axis skipped)
    bool ordered = false;           // whether `order` was given

private:
    static_assert(Axes::size <= max_nest_rank, "loom: simd and par run nests of at most 16 axes");

    // What the kernels read: the loop, and the point the driver moves.
    struct context {
        const vector_loop* loop;
        point<Axes> p{};
    };

    // This nest as plain values, for the drivers in nest_driver.hpp.
    nest_layout layout() const {
        nest_layout n{.rank = Axes::size,
                      .data = reinterpret_cast<char*>(dst.data()),
                      .strides = dst.strides().data(),
                      .element_size = sizeof(T),
                      .width = index_t(simd::width<T>),
                      .vec = vec,
                      .tile_axis = packs ? tile_axis : npos,
                      .block_axis = block_axis,
                      .block = block,
                      .max_tile_span = max_tile_span,
                      .accumulate = can_accumulate && accumulate,
                      .row_axis = row_axis,
                      .reduction_block = reduction_block,
                      .order = Scheduled && ordered ? order.data() : nullptr};
        if constexpr (can_accumulate) {
            n.reduction_count = tree.extents.size();
            n.reduction_first = tree.extents.extent[0];
        }
        return n;
    }

    // The kernels the drivers call back, reading and moving `c`'s point.
    static nest_kernels kernels(context& c) {
        nest_kernels k{.context = &c, .index = c.p.index, .row = &row_kernel};
        if constexpr (packs && Axes::size > 1) {
            k.tile_row = &tile_row_kernel;
            k.store_tile = &store_tile_kernel;
        }
        if constexpr (can_accumulate) {
            k.sweep_row = &sweep_row_kernel;
            k.accumulate_row = &accumulate_row_kernel;
            if constexpr (Axes::size > 1) k.accumulate_rows = &accumulate_rows_kernel;
        }
        return k;
    }

    // The kernels of nest_kernels, each given the context.
    static void row_kernel(void* x, std::size_t inner, index_t b, index_t e) {
        auto& c = *static_cast<context*>(x);
        if (c.loop->rows) {
            // The fills reduce along the row: a long one prefetches the next row.
            index_array<Axes::size> next;
            const bool ahead = std::size_t(e - b) * sizeof(T) >= simd::prefetched_row_bytes &&
                               c.loop->next_row(c.p, inner, next);
            c.loop->rows->fill_row(c.p.index, ahead ? next.data() : nullptr);
        }
        c.loop->row(c.p, inner, b, e);
    }
    // The point of the row after the one at `p` (rows along `inner`), as for_each_row steps
    // the outer loops; false after the last. (A split nest's next row may be another
    // thread's: it is only prefetched.)
    bool next_row(const point<Axes>& p, std::size_t inner, index_array<Axes::size>& next) const {
        const index_t* extent = dst.shape().extent;
        const index_t* loops = Scheduled && ordered ? order.data() : nullptr;
        std::copy_n(p.index, Axes::size, next.data());
        for (std::size_t n = Axes::size; n-- > 0;) {
            const std::size_t k = loops ? std::size_t(loops[n]) : n;
            if (k == inner) continue;
            if (++next[k] < extent[k]) return true;
            next[k] = 0;
        }
        return false;
    }
    static void tile_row_kernel(void* x, index_t u0, index_t u1, void* buf, index_t span,
                                index_t v0) {
        auto& c = *static_cast<context*>(x);
        const vector_loop& l = *c.loop;
        index_array<Axes::size> buf_strides{};  // row k of the buffer: vector index v0 + k
        buf_strides[l.vec] = span;
        buf_strides[l.tile_axis] = 1;
        static constexpr auto rows = packed_rows(std::make_index_sequence<Axes::size>{});
        (l.*rows[l.tile_axis])(c.p, u0, u1, static_cast<T*>(buf), buf_strides.data(),
                               v0 * span + u0);
    }
    static void store_tile_kernel(const void* buf, index_t span, index_t nu, index_t nv,
                                  void* out, index_t stride) {
        simd::store_transposed(static_cast<const T*>(buf), span, nu, nv, static_cast<T*>(out),
                               stride);
    }
    static void sweep_row_kernel(void* x, char* row, index_t n, bool finish) {
        const B& tree = static_cast<context*>(x)->loop->tree;
        T* v = reinterpret_cast<T*>(row);
        if (!finish) {
            for (index_t i = 0; i < n; ++i) v[i] = tree.reducer.init();
            return;
        }
        const index_t count = tree.extents.size();
        for (index_t i = 0; i < n; ++i) v[i] = tree.reducer.finish(v[i], count);
    }
    static void accumulate_row_kernel(void* x, index_t b, index_t e, index_t r0, index_t r1) {
        auto& c = *static_cast<context*>(x);
        static constexpr auto blocks = accumulate_blocks(std::make_index_sequence<Axes::size>{});
        (c.loop->*blocks[c.loop->vec])(c.p, b, e, r0, r1);
    }
    static void accumulate_rows_kernel(void* x, index_t i0, index_t i1, index_t b, index_t e,
                                       index_t r0, index_t r1) {
        auto& c = *static_cast<context*>(x);
        constexpr std::size_t R = Axes::size;
        static constexpr auto groups = accumulate_groups(std::make_index_sequence<R * R>{});
        (c.loop->*groups[c.loop->vec * R + c.loop->row_axis])(c.p, i0, i1, b, e, r0, r1);
    }

    // Tables of the kernels instantiated per axis position (K) or pair (K, J), so that one
    // indirect call picks the run-time axis.
    template <std::size_t... K>
    static constexpr auto packed_rows(std::index_sequence<K...>) {
        using F = void (vector_loop::*)(point<Axes>&, index_t, index_t, T*, const index_t*,
                                        index_t) const;
        return std::array<F, sizeof...(K)>{&vector_loop::template packed_row<K>...};
    }
    template <std::size_t... K>
    static constexpr auto accumulate_blocks(std::index_sequence<K...>) {
        using F = void (vector_loop::*)(point<Axes>&, index_t, index_t, index_t, index_t) const;
        return std::array<F, sizeof...(K)>{&vector_loop::template accumulate_block<K>...};
    }
    template <std::size_t X>
    static constexpr auto accumulate_group() {
        using F = void (vector_loop::*)(point<Axes>&, index_t, index_t, index_t, index_t, index_t,
                                        index_t) const;
        constexpr std::size_t K = X / Axes::size, J = X % Axes::size;
        if constexpr (K == J) return F{};
        else return F{&vector_loop::template accumulate_rows<K, J>};
    }
    template <std::size_t... X>
    static constexpr auto accumulate_groups(std::index_sequence<X...>) {
        return std::array{accumulate_group<X>()...};
    }

    // Adds the terms with the first reduced index in [r0, r1) to rows [i_lo, i_hi) of axis J,
    // elements [begin, end) of the vector axis K: groups of rows x packs accumulate in
    // registers through the whole block (a matrix product's B row is then loaded once per
    // group of rows, and the destination is read and written once per block, not per term).
    template <std::size_t K, std::size_t J>
    void accumulate_rows(point<Axes>& p, index_t i_lo, index_t i_hi, index_t begin, index_t end,
                         index_t r0, index_t r1) const {
        constexpr index_t W = index_t(simd::width<T>);
        index_t i = i_lo;
        constexpr int TR = tile_rows_count, TU = tile_packs;
        for (; i + TR <= i_hi; i += TR) {
            index_t j = begin;
            for (; j + TU * W <= end; j += TU * W) accumulate_tile<K, J, TR, TU>(p, i, j, r0, r1);
            for (; j + W <= end; j += W) accumulate_tile<K, J, 1, 1>(p, i, j, r0, r1, TR);
            if (j < end)
                for (index_t ii = i; ii < i + TR; ++ii) {
                    p.index[J] = ii;
                    accumulate_block<K>(p, j, end, r0, r1);
                }
        }
        for (; i < i_hi; ++i) {
            p.index[J] = i;
            accumulate_block<K>(p, begin, end, r0, r1);
        }
    }

    // R rows (from i0 along J; `rows` of them, each alone, when R is 1) by U packs (from j0
    // along K), accumulated in registers over the first reduced index in [r0, r1).
    template <std::size_t K, std::size_t J, int R, int U>
    LOOM_FLATTEN void accumulate_tile(point<Axes>& p, index_t i0, index_t j0, index_t r0,
                                      index_t r1, int rows = R) const {
        constexpr auto V = axis_at_t<Axes, K>::name;
        constexpr index_t W = index_t(simd::width<T>);
        constexpr std::size_t RS = B::reduced_axes::size;
        using Pack = simd::pack_t<T, T>;
        using Q = simd::reduce_point_t<B, point<Axes>>;
        constexpr std::size_t kv = index_of_v<V, typename Q::axes_type>;
        constexpr std::size_t kr = index_of_v<axis_at_t<Axes, J>::name, typename Q::axes_type>;
        const auto& red = tree.reducer;
        const index_t* st = dst.strides().data();
        for (int g = 0; g < rows; g += R) {
            Pack acc[R][U];
            T* out[R];
            for (int rr = 0; rr < R; ++rr) {
                p.index[J] = i0 + g + rr, p.index[K] = j0;
                out[rr] = dst.data() + offset_of(p, st);
                for (int u = 0; u < U; ++u) acc[rr][u] = Pack::load_unaligned(out[rr] + u * W);
            }
            Q q;
            detail::copy_by_name(q, p, std::make_index_sequence<Axes::size>{});
            for (std::size_t k = 0; k < RS; ++k) q.index[k] = 0;
            for (index_t r = r0; r < r1; ++r) {
                for (std::size_t k = 1; k < RS; ++k) q.index[k] = 0;
                q.index[0] = r;
                do {  // unrolled by expansion, so the accumulators stay in registers
                    [&]<int... X>(std::integer_sequence<int, X...>) {
                        ((q.index[kr] = i0 + g + X / U, q.index[kv] = j0 + (X % U) * W,
                          acc[X / U][X % U] = simd::lane_step(red, acc[X / U][X % U],
                                                              simd::pack_eval<T, V>(tree.child, q))),
                         ...);
                    }(std::make_integer_sequence<int, R * U>{});
                } while (simd::advance(q, tree.extents.extent, RS, 0));
            }
            for (int rr = 0; rr < R; ++rr)
                for (int u = 0; u < U; ++u) acc[rr][u].store_unaligned(out[rr] + u * W);
        }
    }

    void row(point<Axes>& p, std::size_t inner, index_t begin, index_t end) const {
        if constexpr (packs) {
            if (vec != npos) {
                static constexpr auto rows = packed_rows(std::make_index_sequence<Axes::size>{});
                (this->*rows[vec])(p, begin, end, dst.data(), dst.strides().data(), 0);
                return;
            }
        }
        scalar_row(p, inner, begin, end, dst.data(), dst.strides().data());
    }
    // Adds the reduction's terms with the first reduced index in [r0, r1) to one row.
    template <std::size_t K>
    LOOM_FLATTEN void accumulate_block(point<Axes>& p, index_t begin, index_t end, index_t r0,
                                       index_t r1) const {
        constexpr auto V = axis_at_t<Axes, K>::name;
        constexpr index_t W = index_t(simd::width<T>);
        constexpr std::size_t RS = B::reduced_axes::size;
        using Pack = simd::pack_t<T, T>;
        const auto& red = tree.reducer;
        p.index[K] = begin;
        T* rowp = dst.data() + offset_of(p, dst.strides().data());
        const index_t len = end - begin;
        simd::reduce_point_t<B, point<Axes>> q;
        detail::copy_by_name(q, p, std::make_index_sequence<Axes::size>{});
        for (std::size_t k = 0; k < RS; ++k) q.index[k] = 0;
        constexpr std::size_t kv = index_of_v<V, typename decltype(q)::axes_type>;
        for (index_t r = r0; r < r1; ++r) {
            for (std::size_t k = 1; k < RS; ++k) q.index[k] = 0;
            q.index[0] = r;
            do {
                index_t i = 0;
                for (; i + W <= len; i += W) {
                    q.index[kv] = begin + i;
                    const Pack acc = Pack::load_unaligned(rowp + i);
                    simd::lane_step(red, acc, simd::pack_eval<T, V>(tree.child, q))
                        .store_unaligned(rowp + i);
                }
                for (; i < len; ++i) {
                    q.index[kv] = begin + i;
                    red.step(rowp[i], simd::scalar_eval<T>(tree.child, q), 0);
                }
            } while (simd::advance(q, tree.extents.extent, RS, 0));
        }
    }
    // One row along axis K into `base` with strides `st`, element p at offset_of(p, st) - origin.
    // Not inlined into the row loop: inlined there (beside the per-row fills), the row
    // softmax ran 1.3x slower at 4096x4096 with AVX-512.
    template <std::size_t K>
    LOOM_FLATTEN LOOM_NOINLINE void packed_row(point<Axes>& p, index_t begin, index_t end,
                                               T* base, const index_t* st,
                                               index_t origin = 0) const {
        constexpr auto V = axis_at_t<Axes, K>::name;
        constexpr index_t W = index_t(simd::width<T>);
        auto at = [&] { return base + (offset_of(p, st) - origin); };  // element p
        index_t i = begin;
        if constexpr (Scheduled) {
            const index_t step = st[K];  // 1 unless the schedule vectorised a strided axis
            auto pack_at = [&](index_t j) {
                p.index[K] = j;
                const auto v = simd::pack_eval<T, V>(tree, p);
                if (step == 1) simd::store(at(), v);
                else simd::store_strided(at(), step, v);
            };
            const index_t U = index_t(unroll) * W;
            for (; i + U <= end; i += U)
                for (index_t u = 0; u < U; u += W) pack_at(i + u);
            for (; i + W <= end; i += W) pack_at(i);
        } else {
            // Streaming stores (K + 1 == Axes::size, else always false) for a destination far
            // larger than the cache: scalars up to the first aligned pack.
            const bool streams = K + 1 == Axes::size && stream;
            if (streams) i += stream_lead(p, K, i, end, base, st, origin);
            const index_t stop = i + (end - i) / W * W;
            if constexpr (simd::moves_to_rows<V, B>()) {
                if (i < stop && simd::strided_reads<V>(tree) == 0) {  // the common case
                    packs_at_row<K>(p, i, stop, base, st, origin, streams);
                    i = stop;
                }
            }
            for (; i < stop; i += W) {
                p.index[K] = i;
                const auto v = simd::pack_eval<T, V>(tree, p);
                if (streams) simd::store_stream(at(), v);
                else simd::store(at(), v);
            }
        }
        if (i < end) scalar_row(p, K, i, end, base, st, origin);
    }
    // Packs [begin, end) along axis K, every leaf contiguous along it, from a local copy of
    // the tree moved to the row (simd::start_row): the loop then keeps the leaves' pointers in
    // registers (the stores cannot change a local copy) and reads them with plain loads.
    template <std::size_t K>
    LOOM_INLINE void packs_at_row(const point<Axes>& p, index_t begin, index_t end, T* base,
                                  const index_t* st, index_t origin, bool streams) const {
        constexpr auto V = axis_at_t<Axes, K>::name;
        constexpr index_t W = index_t(simd::width<T>);
        point<Axes> q = p;
        q.index[K] = begin;
        B t = tree;
        simd::start_row<V>(t, q);
        T* out = base + (offset_of(q, st) - origin);
        for (index_t i = 0; i < end - begin; i += W) {
            q.index[K] = i;
            const auto v = simd::pack_eval<T, V, true>(t, q);
            if (streams) simd::store_stream(out + i, v);
            else simd::store(out + i, v);
        }
    }
    // Stores element by element up to the first pack-aligned element of the row (all of
    // them, if none is aligned), so that streaming stores can follow; returns their count.
    index_t stream_lead(point<Axes>& p, std::size_t k, index_t i, index_t end, T* base,
                        const index_t* st, index_t origin) const {
        constexpr std::uintptr_t bytes = sizeof(simd::pack_t<T, T>);
        p.index[k] = i;
        const auto first = reinterpret_cast<std::uintptr_t>(base + (offset_of(p, st) - origin));
        const index_t lead = first % sizeof(T) != 0
                                 ? end - i
                                 : std::min(end - i, index_t((bytes - first % bytes) % bytes / sizeof(T)));
        if (lead > 0) scalar_row(p, k, i, i + lead, base, st, origin);
        return lead;
    }
    bool runs_flat() const {
        if (rows || accumulate || tile_axis != npos || block_axis != npos || vec + 1 != Axes::size)
            return false;
        const index_t* st = dst.strides().data();
        index_t dense = 1;
        for (std::size_t k = Axes::size; k-- > 0;) {
            if (st[k] != dense) return false;
            dense *= dst.shape().extent[k];
        }
        return simd::has_strides<Axes>(tree, st);
    }
    // Rows [lo, hi) of the outermost axis as one row along the innermost: the point's index
    // along it runs past its extent, which a dense layout maps to the following rows.
    void run_flat(index_t lo, index_t hi) const {
        const index_t rest = dst.strides()[0];  // elements per index of the outer axis (dense)
        if (hi <= lo || rest == 0) return;
        point<Axes> p{};
        packed_row<Axes::size - 1>(p, lo * rest, hi * rest, dst.data(), dst.strides().data());
        if (stream) simd::stream_fence();
    }
    // Elements [begin, end) along the axis at position `inner`, one at a time: the rows of a
    // nest without packs, and the tails of packed rows (compiled once, not into each).
    LOOM_NOINLINE void scalar_row(point<Axes>& p, std::size_t inner, index_t begin, index_t end,
                                  T* base, const index_t* st, index_t origin = 0) const {
        for (index_t i = begin; i < end; ++i) {
            p.index[inner] = i;
            base[offset_of(p, st) - origin] = static_cast<T>(simd::scalar_eval<T>(tree, p));
        }
    }
};

// What the planner knows of an assignment of `tree` into `dst`; per destination axis, how
// many leaves are strided along it (and, for a sweep, whether some leaf is the same along it).
template <class T, class Axes, class B>
struct axis_facts {
    using loop = vector_loop<T, Axes, B>;
    static constexpr std::size_t N = Axes::size > 0 ? Axes::size : 1;
    index_t strided[N]{};
    bool shared[N]{};
    bool contiguous_reduction = false;

    axis_facts(const B& tree) {
        if constexpr (loop::packs) {
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                ((strided[K] = simd::strided_reads<axis_at_t<Axes, K>::name>(tree)), ...);
            }(std::make_index_sequence<Axes::size>{});
        }
        if constexpr (loop::packs && B::kind == node_kind::reduce) {
            using RA = typename B::reduced_axes;
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                ((contiguous_reduction = contiguous_reduction ||
                                         simd::strided_reads<axis_at_t<RA, K>::name>(
                                             tree.child) == 0), ...);
            }(std::make_index_sequence<RA::size>{});
        }
        if constexpr (loop::can_accumulate) {
            using C = std::remove_cvref_t<decltype(tree.child)>;
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                ((shared[K] = simd::has_leaf_without<axis_at_t<Axes, K>::name, C>()), ...);
            }(std::make_index_sequence<Axes::size>{});
        }
    }
    // The facts for a destination `dst` (the arrays stay in this object).
    nest_facts of(const basic_tensor_view<T, Axes>& dst, const B& tree) const {
        nest_facts f{.rank = Axes::size,
                     .extents = dst.shape().extent,
                     .strides = dst.strides().data(),
                     .strided = strided,
                     .shared = shared,
                     .packs = loop::packs,
                     .width = index_t(simd::width<T>),
                     .element_size = sizeof(T),
                     .reduction = B::kind == node_kind::reduce,
                     .contiguous_reduction = contiguous_reduction,
                     .can_accumulate = loop::can_accumulate};
        if constexpr (B::kind == node_kind::reduce) f.reduction_count = tree.extents.size();
        return f;
    }
};

// The vector axis the planner picks for `tree` into `dst` (npos: none).
template <class T, class Axes, class B>
std::size_t choose_vector_axis(const basic_tensor_view<T, Axes>& dst, const B& tree) {
    return choose_vector_axis(axis_facts<T, Axes, B>(tree).of(dst, tree));
}

// The planner's choices for `loop`: its vector axis, then how the nest runs along it.
template <class Loop>
void choose_nest(Loop& loop) {
    using F = axis_facts<typename Loop::value_type, typename Loop::axes_type, typename Loop::tree_type>;
    const F facts(loop.tree);
    const nest_choice c = choose_nest(facts.of(loop.dst, loop.tree));
    loop.vec = c.vec;
    loop.accumulate = c.accumulate;
    loop.row_axis = c.row_axis;
    loop.tile_axis = c.tile_axis;
    loop.block_axis = c.block_axis;
    loop.stream = c.stream;
}

// Whether a schedule's loop sweeps its top reduction (see the plain choose_accumulate).
template <class Loop>
bool choose_accumulate(const Loop& loop) {
    using F = axis_facts<typename Loop::value_type, typename Loop::axes_type, typename Loop::tree_type>;
    return choose_accumulate(F(loop.tree).of(loop.dst, loop.tree), loop.vec);
}

}  // namespace detail

/// Runs expressions with SIMD packs on one thread.
template <>
struct executor<simd_policy> {
    /// Evaluates `e` into `dst`; checks as `seq` does, before the first write.
    template <class T, class Axes, class E, class... Fresh>
    static void assign(const simd_policy& policy, const basic_tensor_view<T, Axes>& dst,
                       const E& e, Fresh... fresh) {
        detail::checked_assign(dst, e, [&](const auto& out, const auto& node) {
            if (policy.plugins && detail::try_gemm_plugin(out, node.bind())) return;
            detail::with_hoisted(policy, out, node, false, nullptr,
                                 [&](const auto& b, const auto& fills) {
                detail::vector_loop<T, Axes, std::remove_cvref_t<decltype(b)>> loop{out, b};
                detail::choose_nest(loop);
                loop.attach(fills);
                loop.run(0, 0, Axes::size > 0 ? out.shape().extent[0] : 1);
            });
        }, fresh...);
    }
    /// The plan for evaluating `node` into a dense tensor of shape `s`.
    template <class T, class Axes, class N>
    LOOM_COLD static loop_plan plan(const simd_policy& policy, const shape<Axes>& s,
                                    const N& node) {
        loop_plan out;
        out.policy = simd_policy::name;
        // The destination's layout without its memory: planning reads strides, never elements.
        const basic_tensor_view<T, Axes> probe(nullptr, s);
        detail::with_hoisted(policy, probe, node, true, &out.hoisted,
                             [&](const auto& b, const auto& fills) {
            using B = std::remove_cvref_t<decltype(b)>;
            detail::vector_loop<T, Axes, B> loop{probe, b};
            detail::choose_nest(loop);
            loop.attach(fills, true);
            for (auto& h : out.hoisted) h.per_row = loop.rows != nullptr;
            detail::nest_choices c{.names = detail::names_of<Axes>,
                                   .extents = s.extent,
                                   .rank = Axes::size,
                                   .vec = loop.vec,
                                   .tile_axis = loop.tile_axis,
                                   .block_axis = loop.block_axis,
                                   .row_axis = loop.row_axis,
                                   .accumulate = loop.accumulate,
                                   .width = detail::simd::width<T>,
                                   .tile_rows = loop.tile_rows_count,
                                   .tile_packs = loop.tile_packs,
                                   .tile_span = loop.max_tile_span,
                                   .block = loop.block,
                                   .reduction = {},
                                   .flat = loop.flat()};
            if constexpr (B::kind == node_kind::reduce)
                if (loop.accumulate) c.reduction = b.extents.to_string();
            detail::describe_nest(c, out);
            out.body = b.describe();
        });
        using B = decltype(node.bind());
        if constexpr (detail::gemm_shape<B>::value) {
            if (policy.plugins && gemm_plugin_for<T>().run) out.plugin = gemm_plugin_for<T>().name;
        }
        return out;
    }
};

LOOM_END_NAMESPACE
LOOM_END_SIMD_CODE
