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
#include <loom/exec/hoisted.hpp>
#include <loom/exec/loop_plan.hpp>
#include <loom/plan/schedule.hpp>
#include <loom/storage/buffer.hpp>

#include <cstdint>
#include <memory>
#include <typeinfo>
#include <string>
#include <vector>

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
// strided in the destination: the planner's loops compile without those paths.
template <class T, class Axes, class B, bool Scheduled = false>
struct vector_loop {
    using value_type = T;
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

    void run(std::size_t split, index_t lo, index_t hi) const {
        index_array<Axes::size> from{}, to{};
        for (std::size_t k = 0; k != Axes::size; ++k) to[k] = dst.shape().extent[k];
        if constexpr (Axes::size > 0) from[split] = lo, to[split] = hi;
        if constexpr (packs && Axes::size > 1) {
            if (tile_axis != npos && vec != npos) {
                run_tiles(from, to);
                return;
            }
        }
        if (block_axis == npos || vec == npos) {
            run_box(from, to);
            if (stream) simd::stream_fence();
            return;
        }
        // Square blocks over the vector axis and block_axis: the strided reads of one block
        // touch few cache lines, and the next row of the block reuses them (a transpose).
        const std::size_t o = block_axis;
        for (index_t o0 = from[o]; o0 < to[o]; o0 += block) {
            for (index_t v0 = from[vec]; v0 < to[vec]; v0 += block) {
                index_array<Axes::size> bf = from, bt = to;
                bf[o] = o0, bt[o] = std::min(to[o], o0 + block);
                bf[vec] = v0, bt[vec] = std::min(to[vec], v0 + block);
                run_box(bf, bt);
            }
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
            *dst.data() = static_cast<T>(simd::scalar_eval<T>(tree, point<Axes>{}));
        } else {
            if constexpr (can_accumulate) {
                if (accumulate && vec != npos) {
                    run_accumulated(from, to);
                    return;
                }
            }
            for_each_row(from, to, [&](point<Axes>& p, std::size_t inner, index_t b, index_t e) {
                if (rows) rows->fill_row(p);
                row(p, inner, b, e);
            });
        }
    }

    // Transposing runs: for each point of the other axes, strips of `width` rows along the
    // vector axis, each row evaluated in packs along the tile axis into a buffer, which is
    // then written into the destination in width x width blocks transposed in registers.
    void run_tiles(const index_array<Axes::size>& from, const index_array<Axes::size>& to) const {
        index_array<Axes::size> once = to;  // the tile axis runs inside, not in for_each_row
        once[tile_axis] = std::min(to[tile_axis], from[tile_axis] + 1);
        constexpr index_t W = index_t(simd::width<T>);
        const index_t span =
            std::min(max_tile_span, (to[tile_axis] - from[tile_axis] + W - 1) / W * W);
        if (span <= 0) return;
        aligned_buffer<T> buf(W * span);
        for_each_row(from, once, [&](point<Axes>& p, std::size_t, index_t b, index_t e) {
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                ((K == tile_axis ? tile_rows<K>(p, from[K], to[K], b, e, buf.data(), span)
                                 : void()), ...);
            }(std::make_index_sequence<Axes::size>{});
        });
    }

    // Hoisted temporaries filled one element per row, just before the row, or null.
    const hoisted_fills<Axes>* rows = nullptr;

    std::size_t unroll = 1;         // packs per iteration of the vectorised loop
    index_t reduction_block = 0;    // block of the first reduced axis in a sweep; 0: chosen
    index_array<Axes::size> order{};  // outer loops, outermost first (the inner axis skipped)
    bool ordered = false;           // whether `order` was given

private:
    // Calls f(p, inner, begin, end) for every row along the inner axis of the box.
    template <class F>
    void for_each_row(const index_array<Axes::size>& from, const index_array<Axes::size>& to,
                      F&& f) const {
        constexpr std::size_t R = Axes::size;
        point<Axes> p;
        for (std::size_t k = 0; k < R; ++k) {
            if (to[k] <= from[k]) return;  // empty
            p.index[k] = from[k];
        }
        const bool reorder = Scheduled && ordered;
        const std::size_t inner =
            vec != npos ? vec : (reorder ? std::size_t(order[R - 1]) : R - 1);
        for (;;) {
            f(p, inner, from[inner], to[inner]);
            bool more = false;
            for (std::size_t n = R; n-- > 0;) {  // the innermost outer loop first
                const std::size_t k = reorder ? std::size_t(order[n]) : n;
                if (k == inner) continue;
                if (++p.index[k] < to[k]) {
                    more = true;
                    break;
                }
                p.index[k] = from[k];
            }
            if (!more) return;
        }
    }

    // A top reduction swept into the destination: rows start at the reducer's initial value,
    // then blocks of the first reduced axis (sized so an operand block stays in the L2 cache)
    // are added to every row, then the rows are finished.
    void run_accumulated(const index_array<Axes::size>& from,
                         const index_array<Axes::size>& to) const {
        const auto& red = tree.reducer;
        const index_t count = tree.extents.size();
        const index_t row_len = to[vec] - from[vec];
        const index_t first = tree.extents.extent[0];
        const index_t block = reduction_block > 0
                                  ? reduction_block
                                  : std::max<index_t>(1, index_t(256 * 1024 / sizeof(T)) /
                                                             std::max<index_t>(1, row_len));
        auto each_element = [&](auto&& g) {
            for_each_row(from, to, [&](point<Axes>& p, std::size_t inner, index_t b, index_t e) {
                p.index[inner] = b;
                T* rowp = dst.data() + offset_of(p, dst.strides().data());
                for (index_t i = 0; i < e - b; ++i) g(rowp[i]);
            });
        };
        each_element([&](T& v) { v = red.init(); });
        if (count > 0) {
            for (index_t r0 = 0; r0 < first; r0 += block) {
                const index_t r1 = std::min(first, r0 + block);
                if (row_axis != npos) {  // rows in groups, their packs held in registers
                    index_array<Axes::size> once = to;
                    once[row_axis] = std::min(to[row_axis], from[row_axis] + 1);
                    for_each_row(from, once, [&](point<Axes>& p, std::size_t, index_t b, index_t e) {
                        for_axis_pair(vec, row_axis, [&]<std::size_t K, std::size_t J>() {
                            accumulate_rows<K, J>(p, from[J], to[J], b, e, r0, r1);
                        });
                    });
                    continue;
                }
                for_each_row(from, to, [&](point<Axes>& p, std::size_t, index_t b, index_t e) {
                    [&]<std::size_t... K>(std::index_sequence<K...>) {
                        ((K == vec ? accumulate_block<K>(p, b, e, r0, r1) : void()), ...);
                    }(std::make_index_sequence<Axes::size>{});
                });
            }
        }
        each_element([&](T& v) { v = red.finish(v, count); });
    }

private:
    // Calls f.template operator()<K, J>() for the two distinct axis positions k and j.
    template <class F>
    static void for_axis_pair(std::size_t k, std::size_t j, F&& f) {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((K == k ? for_second_axis<K>(j, f) : void()), ...);
        }(std::make_index_sequence<Axes::size>{});
    }
    template <std::size_t K, class F>
    static void for_second_axis(std::size_t j, F& f) {
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            ((J == j ? [&] { if constexpr (K != J) f.template operator()<K, J>(); }() : void()), ...);
        }(std::make_index_sequence<Axes::size>{});
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

    // Elements [u_lo, u_hi) of the tile axis K by [v_lo, v_hi) of the vector axis, through
    // `buf` (width rows of tile_span elements).
    template <std::size_t K>
    void tile_rows(point<Axes>& p, index_t u_lo, index_t u_hi, index_t v_lo, index_t v_hi,
                   T* buf, index_t tile_span) const {
        if constexpr (packs) {
            constexpr index_t W = index_t(simd::width<T>);
            index_array<Axes::size> buf_strides{};  // row k of the buffer: vector index v0 + k
            buf_strides[vec] = tile_span;
            buf_strides[K] = 1;
            const index_t* st = dst.strides().data();
            for (index_t u0 = u_lo; u0 < u_hi; u0 += tile_span) {
                const index_t nu = std::min(tile_span, u_hi - u0);
                for (index_t v0 = v_lo; v0 < v_hi; v0 += W) {
                    const index_t nv = std::min(W, v_hi - v0);
                    for (index_t k = 0; k < nv; ++k) {
                        p.index[vec] = v0 + k;
                        packed_row<K>(p, u0, u0 + nu, buf, buf_strides.data(),
                                      v0 * tile_span + u0);
                    }
                    p.index[vec] = v0, p.index[K] = u0;  // element (u0, v0); rows st[K] apart
                    simd::store_transposed(buf, tile_span, nu, nv, dst.data() + offset_of(p, st),
                                           st[K]);
                }
            }
        }
    }

    void row(point<Axes>& p, std::size_t inner, index_t begin, index_t end) const {
        if constexpr (packs) {
            if (vec != npos) {
                [&]<std::size_t... K>(std::index_sequence<K...>) {
                    ((K == vec ? packed_row<K>(p, begin, end, dst.data(), dst.strides().data())
                               : void()), ...);
                }(std::make_index_sequence<Axes::size>{});
                return;
            }
        }
        T* out = dst.data();
        const index_t* st = dst.strides().data();
        for (index_t i = begin; i < end; ++i) {
            p.index[inner] = i;
            out[offset_of(p, st)] = static_cast<T>(simd::scalar_eval<T>(tree, p));
        }
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
        } else if (K + 1 == Axes::size && stream) {  // a destination far larger than the cache
            constexpr std::uintptr_t bytes = sizeof(simd::pack_t<T, T>);
            for (; i < end; ++i) {  // scalars up to the first aligned pack
                p.index[K] = i;
                T* dest = at();
                if (reinterpret_cast<std::uintptr_t>(dest) % bytes == 0) break;
                *dest = static_cast<T>(simd::scalar_eval<T>(tree, p));
            }
            for (; i + W <= end; i += W) {
                p.index[K] = i;
                simd::store_stream(at(), simd::pack_eval<T, V>(tree, p));
            }
        } else {  // the common case, kept free of branches
            for (; i + W <= end; i += W) {
                p.index[K] = i;
                simd::store(at(), simd::pack_eval<T, V>(tree, p));
            }
        }
        for (; i < end; ++i) {
            p.index[K] = i;
            *at() = static_cast<T>(simd::scalar_eval<T>(tree, p));
        }
    }
};

// The vector axis: a destination axis of stride 1 along which the fewest leaves are strided;
// none when the top reduction can instead vectorise along a contiguous reduced axis.
template <class T, class Axes, class B>
std::size_t choose_vector_axis(const basic_tensor_view<T, Axes>& dst, const B& tree) {
    if constexpr (!vector_loop<T, Axes, B>::packs) {
        return npos;
    } else {
        std::size_t best = npos;
        index_t best_cost = 0;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            auto consider = [&](std::size_t k, index_t cost) {
                if (dst.strides()[k] != 1 || dst.shape().extent[k] < 2) return;
                if (best == npos || cost < best_cost) best = k, best_cost = cost;
            };
            (void)consider;
            (consider(K, simd::strided_reads<axis_at_t<Axes, K>::name>(tree)), ...);
        }(std::make_index_sequence<Axes::size>{});
        if constexpr (B::kind == node_kind::reduce) {
            if (best != npos && best_cost > 0) {
                bool contiguous_reduction = false;
                using RA = typename B::reduced_axes;
                [&]<std::size_t... K>(std::index_sequence<K...>) {
                    ((contiguous_reduction = contiguous_reduction ||
                                             simd::strided_reads<axis_at_t<RA, K>::name>(
                                                 tree.child) == 0), ...);
                }(std::make_index_sequence<RA::size>{});
                if (contiguous_reduction) return npos;
            }
        }
        return best;
    }
}

// Sweep a top reduction into the destination row by row when the row is long enough to
// amortise it and the reduction has enough steps to benefit.
template <class Loop, class Axes>
bool choose_accumulate(const Loop& loop, const shape<Axes>& s) {
    if constexpr (!Loop::can_accumulate) {
        return false;
    } else {
        if (loop.vec == npos || loop.dst.strides()[loop.vec] != 1) return false;
        return s.extent[loop.vec] >= 64 && loop.tree.extents.size() >= 8;
    }
}

// In a sweep, the destination axis (other than the vector axis) with the smallest stride and
// at least 4 rows along which some leaf is constant: its rows are accumulated in groups in
// registers and share that leaf's loads. (Rows that share nothing keep the row order, which
// reads each row's operand as one stream.)
template <class Loop, class Axes>
std::size_t choose_row_axis(const Loop& loop, const shape<Axes>& s) {
    if constexpr (!Loop::can_accumulate || Axes::size < 2) {
        return npos;
    } else {
        if (!loop.accumulate) return npos;
        using C = std::remove_cvref_t<decltype(loop.tree.child)>;
        bool shares[Axes::size];
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((shares[K] = simd::has_leaf_without<axis_at_t<Axes, K>::name, C>()), ...);
        }(std::make_index_sequence<Axes::size>{});
        std::size_t best = npos;
        for (std::size_t k = 0; k < Axes::size; ++k) {
            if (k == loop.vec || s.extent[k] < 4 || !shares[k]) continue;
            const index_t stride = std::abs(loop.dst.strides()[k]);
            if (best == npos || stride < std::abs(loop.dst.strides()[best])) best = k;
        }
        return best;
    }
}

// Blocks for a vectorised axis along which some leaves are strided (a transpose): the
// other axis blocked with it is the destination's innermost other axis.
template <class Loop, class Axes>
std::size_t choose_block_axis(const Loop& loop, const shape<Axes>& s) {
    if constexpr (Axes::size < 2) {
        return npos;
    } else {
        if (loop.vec == npos || loop.accumulate) return npos;
        index_t strided = 0;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((K == loop.vec ? void(strided = simd::strided_reads<axis_at_t<Axes, K>::name>(loop.tree))
                            : void()), ...);
        }(std::make_index_sequence<Axes::size>{});
        if (strided == 0) return npos;
        for (std::size_t k = Axes::size; k-- > 0;)
            if (k != loop.vec && s.extent[k] > 1) return k;
        return npos;
    }
}

// For a vector axis along which some leaves are strided (a transpose), the destination axis
// of at least a pack's extent along which the fewest leaves are strided, if fewer: packs run
// along it and are transposed into the destination.
template <class Loop, class Axes>
std::size_t choose_tile_axis(const Loop& loop, const shape<Axes>& s) {
    if constexpr (!Loop::packs || Axes::size < 2) {
        return npos;
    } else {
        if (loop.vec == npos || loop.accumulate) return npos;
        index_t strided[Axes::size];
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((strided[K] = simd::strided_reads<axis_at_t<Axes, K>::name>(loop.tree)), ...);
        }(std::make_index_sequence<Axes::size>{});
        std::size_t best = npos;
        for (std::size_t k = Axes::size; k-- > 0;) {
            if (k == loop.vec || s.extent[k] < index_t(simd::width<typename Loop::value_type>))
                continue;
            if (strided[k] < (best == npos ? strided[loop.vec] : strided[best])) best = k;
        }
        return best;
    }
}

// Streaming stores for an element-wise destination much larger than the caches, written
// once: the stores then do not first read each cache line. Only along the destination type's
// last axis (where a tensor is contiguous): the other axes' rows compile without that loop.
template <class Loop, class Axes>
bool choose_stream(const Loop& loop, const shape<Axes>& s) {
    if constexpr (!Loop::packs || Axes::size == 0) {
        return false;
    } else {
        using T = typename Loop::value_type;
        return loop.vec == Axes::size - 1 && loop.dst.strides()[loop.vec] == 1 &&
               !loop.accumulate && loop.block_axis == npos && loop.tile_axis == npos &&
               s.size() * index_t(sizeof(T)) >= index_t(8) * 1024 * 1024;
    }
}

// Fills the hoisted temporaries per row when each holds one value per row of the nest, the
// rows run whole and `per_row` allows it (the row's operands then stay in cache between the
// reductions and the row); otherwise fills them whole now.
template <class Loop, class Axes>
void attach_fills(Loop& loop, const hoisted_fills<Axes>& fills, bool dry = false,
                  bool per_row = true) {
    if (fills.empty()) return;
    // Kept terms are stored in the destination and read back by the nest: the nest's stores
    // then update lines already in cache, where streaming stores would cost a round trip.
    if (fills.writes_destination()) loop.stream = false;
    if (per_row && loop.vec != npos && !loop.accumulate && loop.block_axis == npos &&
        loop.tile_axis == npos && fills.per_row_along(loop.vec)) {
        loop.rows = &fills;
    } else if (!dry) {
        fills.fill_all();
    }
}

// The planner's choices for a loop whose vector axis is set: sweep a top reduction, run in
// transposed tiles or square blocks, stream the stores.
template <class Loop, class Axes>
void choose_layout(Loop& loop, const shape<Axes>& s) {
    loop.accumulate = choose_accumulate(loop, s);
    loop.row_axis = choose_row_axis(loop, s);
    loop.tile_axis = choose_tile_axis(loop, s);
    if (loop.tile_axis == npos) loop.block_axis = choose_block_axis(loop, s);
    loop.stream = choose_stream(loop, s);
}

}  // namespace detail

/// Runs expressions with SIMD packs on one thread.
template <>
struct executor<simd_policy> {
    /// Evaluates `e` into `dst`; checks as `seq` does, before the first write.
    template <class T, class Axes, class E>
    static void assign(const simd_policy& policy, const basic_tensor_view<T, Axes>& dst,
                       const E& e) {
        detail::checked_assign(dst, e, [&](const auto& out, const auto& node) {
            if (policy.plugins && detail::try_gemm_plugin(out, node.bind())) return;
            detail::with_hoisted(policy, out, node, false, nullptr,
                                 [&](const auto& b, const auto& fills) {
                detail::vector_loop<T, Axes, std::remove_cvref_t<decltype(b)>> loop{
                    out, b, detail::choose_vector_axis(out, b)};
                detail::choose_layout(loop, out.shape());
                detail::attach_fills(loop, fills);
                loop.run(0, 0, Axes::size > 0 ? out.shape().extent[0] : 1);
            });
        });
    }
    /// The plan for evaluating `node` into a dense tensor of shape `s`.
    template <class T, class Axes, class N>
    LOOM_COLD static loop_plan plan(const simd_policy& policy, const shape<Axes>& s,
                                    const N& node) {
        loop_plan out;
        out.policy = simd_policy::name;
        basic_tensor<T, Axes> probe(s);
        detail::with_hoisted(policy, probe.view(), node, true, &out.hoisted,
                             [&](const auto& b, const auto& fills) {
            using B = std::remove_cvref_t<decltype(b)>;
            detail::vector_loop<T, Axes, B> loop{probe.view(), b,
                                                 detail::choose_vector_axis(probe.view(), b)};
            detail::choose_layout(loop, s);
            detail::attach_fills(loop, fills, true);
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
                                   .reduction = {}};
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
