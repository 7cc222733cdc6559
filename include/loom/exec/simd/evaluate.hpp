/// \file
/// \brief The SIMD evaluator: produces one pack of values along a vector axis, or one value
/// with its reductions vectorised, by walking a bound expression by node kind. Nodes that
/// have no SIMD form are evaluated lane by lane, so every expression runs; only speed differs.
#pragma once

#include <loom/exec/simd/pack.hpp>
#include <loom/expr/access.hpp>
#include <loom/expr/generate.hpp>
#include <loom/expr/rename.hpp>
#include <loom/expr/summation.hpp>

#include <limits>

LOOM_BEGIN_SIMD_CODE
LOOM_BEGIN_NAMESPACE
namespace detail::simd {

template <class N>
inline constexpr bool is_kind(node_kind k) {
    return N::kind == k;
}

template <class F>
constexpr bool simd_functor() {
    if constexpr (requires { F::simd; }) return F::simd;
    else return false;
}

template <class... E>
constexpr bool all_affine(detail::tuple<E...>*) {
    return (!E::is_gather && ...);
}

// Reducers whose running state is a value that packs add lane-wise and that finish by
// folding the lanes one at a time: sum, prod, max, min, mean.
template <class R>
inline constexpr bool lane_reducer = false;
template <class T>
inline constexpr bool lane_reducer<reducer::sum<T>> = !std::is_same_v<T, bool>;
template <class T>
inline constexpr bool lane_reducer<reducer::prod<T>> = true;
template <class T>
inline constexpr bool lane_reducer<reducer::max<T>> = true;
template <class T>
inline constexpr bool lane_reducer<reducer::min<T>> = true;
template <class T>
inline constexpr bool lane_reducer<reducer::mean<T>> = std::is_floating_point_v<T>;

template <class R, class Pack>
LOOM_INLINE Pack lane_init(const R& r) {
    return Pack(r.init());
}
template <class R, class Pack>
LOOM_INLINE Pack lane_step(const R&, const Pack& s, const Pack& x) {
    if constexpr (std::is_same_v<R, reducer::prod<typename R::value_type>>) return fn::multiplies{}(s, x);
    else if constexpr (std::is_same_v<R, reducer::max<typename R::value_type>>)
        return fn::maximum{}(s, x);
    else if constexpr (std::is_same_v<R, reducer::min<typename R::value_type>>)
        return fn::minimum{}(s, x);
    else return s + x;  // sum, mean
}

// Whether some leaf of N does not have axis V (its loads are the same for every index
// along V, so rows along V evaluated together can share them: a matrix product's B).
template <fixed_string V, class N>
constexpr bool has_leaf_without() {
    if constexpr (is_kind<N>(node_kind::leaf)) {
        return !contains_v<V, typename N::axes_type>;
    } else if constexpr (is_kind<N>(node_kind::map)) {
        using Children = std::remove_cvref_t<decltype(std::declval<N>().children)>;
        return []<class... C>(tuple<C...>*) {
            return (has_leaf_without<V, C>() || ... || false);
        }(static_cast<Children*>(nullptr));
    } else if constexpr (is_kind<N>(node_kind::reduce)) {
        return has_leaf_without<V, std::remove_cvref_t<decltype(std::declval<N>().child)>>();
    } else {
        return false;
    }
}

// How many leaves would be read with a stride other than 0 or 1 along axis V.
template <fixed_string V, class N>
index_t strided_reads(const N& n) {
    using A = typename N::axes_type;
    if constexpr (!contains_v<V, A>) {
        return 0;
    } else if constexpr (is_kind<N>(node_kind::leaf)) {
        return n.strides[index_of_v<V, A>] == 1 ? 0 : 1;
    } else if constexpr (is_kind<N>(node_kind::map)) {
        index_t c = 0;
        detail::apply([&](const auto&... ch) { ((c += strided_reads<V>(ch)), ...); }, n.children);
        return c;
    } else if constexpr (is_kind<N>(node_kind::reduce)) {
        return strided_reads<V>(n.child);
    } else if constexpr (is_kind<N>(node_kind::access)) {
        // An affine index that moves one of the child's axes with V reads along that axis.
        if constexpr (all_affine(static_cast<std::remove_cvref_t<decltype(n.entries)>*>(nullptr)) &&
                      contains_v<V, typename N::child_axes>)
            return strided_reads<V>(n.child);
        else
            return 1;
    } else {
        return 1;  // evaluated lane by lane
    }
}

template <class L, bool Nested = false, class N, class P>
LOOM_INLINE typename N::value_type scalar_eval(const N& n, const P& p);

template <class L, fixed_string V, bool AtRow = false, class N, class P>
LOOM_INLINE pack_t<typename N::value_type, L> pack_eval(const N& n, const P& p);

template <class L, fixed_string V, class N, class P>
LOOM_INLINE pack_t<typename N::value_type, L> pack_by_lanes(const N& n, const P& p) {
    using U = typename N::value_type;
    constexpr std::size_t k = index_of_v<V, typename P::axes_type>;
    return from_lanes<U, L>([&](index_t i) {
        P q = p;
        q.index[k] += i;
        return scalar_eval<L>(n, q);
    });
}

template <class L, fixed_string V, bool AtRow, class N, class P, std::size_t... I>
LOOM_INLINE auto pack_map(const N& n, const P& p, std::index_sequence<I...>) {
    return n.f(pack_eval<L, V, AtRow>(detail::get<I>(n.children), p)...);
}

template <class L, class... C>
constexpr bool all_packable(detail::tuple<C...>*) {
    return (packable<typename C::value_type, L> && ...);
}

// The points of a reduction's child: the reduced axes first, then the outer point's others.
template <class N, class P>
using reduce_point_t =
    point<concat_t<typename N::reduced_axes,
                   difference_t<typename P::axes_type, typename N::reduced_axes>>>;

template <class Q>
inline bool advance(Q& q, const index_t* extents, std::size_t count, std::size_t skip) {
    for (std::size_t k = count; k-- > 0;) {
        if (k == skip) continue;
        if (++q.index[k] < extents[k]) return true;
        q.index[k] = 0;
    }
    return false;
}

// A reduction evaluated for a pack of outer points: the state is a pack, one lane per point.
template <class L, fixed_string V, class N, class P>
auto pack_reduce(const N& n, const P& p) {
    using U = typename N::value_type;
    using Pack = pack_t<U, L>;
    reduce_point_t<N, P> q;
    detail::copy_by_name(q, p, std::make_index_sequence<P::rank>{});
    for (std::size_t k = 0; k < N::reduced_axes::size; ++k) q.index[k] = 0;
    const index_t count = n.extents.size();
    using R = std::remove_cvref_t<decltype(n.reducer)>;
    Pack s = lane_init<R, Pack>(n.reducer);
    [[maybe_unused]] std::conditional_t<cascaded_sum<R>, sum_cascade<Pack>, no_cascade> blocks;
    [[maybe_unused]] index_t terms = 0;
    if (count > 0) {
        do {
            s = lane_step(n.reducer, s, pack_eval<L, V>(n.child, q));
            if constexpr (cascaded_sum<R>) blocks.counted(s, terms, lane_init<R, Pack>(n.reducer));
        } while (advance(q, n.extents.extent, N::reduced_axes::size, npos));
    }
    if constexpr (cascaded_sum<R>) s = blocks.total(s);
    if constexpr (std::is_same_v<std::remove_cvref_t<decltype(n.reducer)>, reducer::mean<U>>)
        return s / Pack(static_cast<U>(count));
    else
        return s;
}

// An affine access whose lanes all fall inside and read the child along one of its axes
// with step 1 (a stencil along the contiguous axis) is one pack of the child; else lanes.
template <class L, fixed_string V, class N, class P>
LOOM_INLINE pack_t<typename N::value_type, L> pack_access(const N& n, const P& p) {
    using U = typename N::value_type;
    using CA = typename N::child_axes;
    constexpr index_t W = index_t(width<L>);
    constexpr std::size_t kv = index_of_v<V, typename P::axes_type>;
    point<CA> q0, q1;
    P last = p;
    last.index[kv] += W - 1;
    if (n.child_point(p, q0) && n.child_point(last, q1)) {
        std::size_t moving = npos, moved = 0;
        bool unit = true;
        for (std::size_t k = 0; k < CA::size; ++k) {
            const index_t d = q1.index[k] - q0.index[k];
            if (d == 0) continue;
            ++moved;
            moving = k;
            unit = unit && d == W - 1;
        }
        if (moved == 0) {
            // Equal first and last lanes are a broadcast only if lane 1 equals lane 0 too:
            // a wrapping index can come back around (j + k + 1 over 7 elements, 8 lanes).
            P second = p;
            second.index[kv] += 1;
            point<CA> q;
            bool same = n.child_point(second, q);
            for (std::size_t k = 0; k < CA::size; ++k) same = same && q.index[k] == q0.index[k];
            if (same) return broadcast<U, L>(n.child.eval(q0));
            return pack_by_lanes<L, V>(n, p);
        }
        if (moved == 1 && unit) {
            pack_t<U, L> out{};
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                ((K == moving ? void(out = pack_eval<L, axis_at_t<CA, K>::name>(n.child, q0))
                              : void()), ...);
            }(std::make_index_sequence<CA::size>{});
            return out;
        }
    }
    return pack_by_lanes<L, V>(n, p);
}

// One pack of `n` at `p` along V. With `AtRow`, `n` is a tree that start_row moved to a row:
// its leaves that vary along V hold the row contiguously from index 0 along V.
template <class L, fixed_string V, bool AtRow, class N, class P>
LOOM_INLINE pack_t<typename N::value_type, L> pack_eval(const N& n, const P& p) {
    using U = typename N::value_type;
    if constexpr (!contains_v<V, typename N::axes_type>) {
        return broadcast<U, L>(scalar_eval<L>(n, p));
    } else if constexpr (is_kind<N>(node_kind::leaf) && AtRow) {
        return load<U, L>(n.data + p.index[index_of_v<V, typename P::axes_type>]);
    } else if constexpr (is_kind<N>(node_kind::leaf)) {
        using A = typename N::axes_type;
        const index_t off = detail::leaf_offset<A>(p, n.strides.data(),
                                                   std::make_index_sequence<A::size>{});
        const index_t stride = n.strides[index_of_v<V, A>];
        return stride == 1 ? load<U, L>(n.data + off) : load_strided<U, L>(n.data + off, stride);
    } else if constexpr (is_kind<N>(node_kind::map)) {
        using F = std::remove_cvref_t<decltype(n.f)>;
        if constexpr (simd_functor<F>() &&
                      all_packable<L>(static_cast<std::remove_cvref_t<decltype(n.children)>*>(nullptr)))
            return pack_map<L, V, AtRow>(n, p, std::make_index_sequence<decltype(n.children)::size>{});
        else
            return pack_by_lanes<L, V>(n, p);
    } else if constexpr (is_kind<N>(node_kind::reduce)) {
        using C = std::remove_cvref_t<decltype(n.child)>;
        if constexpr (lane_reducer<std::remove_cvref_t<decltype(n.reducer)>> &&
                      std::is_same_v<typename C::value_type, U>)
            return pack_reduce<L, V>(n, p);
        else
            return pack_by_lanes<L, V>(n, p);
    } else if constexpr (is_kind<N>(node_kind::access)) {
        if constexpr (all_affine(static_cast<std::remove_cvref_t<decltype(n.entries)>*>(nullptr)))
            return pack_access<L, V>(n, p);
        else
            return pack_by_lanes<L, V>(n, p);
    } else {
        return pack_by_lanes<L, V>(n, p);
    }
}

// A leaf over a view's memory, whose pointer and strides a copy of the tree can move.
template <class N>
concept memory_leaf = N::kind == node_kind::leaf && requires(N& n) {
    n.data = n.data;
    n.strides[0] = 0;
};

// Whether every node of N that varies along V is a leaf (over a view's memory) or a map, so
// that a row along V can run on a copy of N moved to the row by start_row. Other nodes
// (reductions, accesses, index functions) read the point's index along V themselves.
template <fixed_string V, class N>
constexpr bool moves_to_rows() {
    if constexpr (!contains_v<V, typename N::axes_type>) {
        return true;
    } else if constexpr (is_kind<N>(node_kind::leaf)) {
        return memory_leaf<N>;
    } else if constexpr (is_kind<N>(node_kind::map)) {
        using Children = std::remove_cvref_t<decltype(std::declval<N>().children)>;
        return []<class... C>(tuple<C...>*) {
            return (moves_to_rows<V, C>() && ...);
        }(static_cast<Children*>(nullptr));
    } else {
        return false;
    }
}

// Whether a nest over Axes can run as one row of its elements in memory order when the
// destination and the leaves are dense in the same layout: every node of N is constant
// over the nest (none of Axes), a leaf over exactly Axes, or a map of such nodes.
template <class Axes, class N>
constexpr bool flattens() {
    using A = typename N::axes_type;
    constexpr bool constant = []<std::size_t... K>(std::index_sequence<K...>) {
        return (!contains_v<axis_at_t<A, K>::name, Axes> && ...);
    }(std::make_index_sequence<A::size>{});
    if constexpr (constant) {
        return true;
    } else if constexpr (is_kind<N>(node_kind::leaf)) {
        return same_axes_v<A, Axes> && memory_leaf<N>;
    } else if constexpr (is_kind<N>(node_kind::map)) {
        using Children = std::remove_cvref_t<decltype(std::declval<N>().children)>;
        return []<class... C>(tuple<C...>*) {
            return (flattens<Axes, C>() && ...);
        }(static_cast<Children*>(nullptr));
    } else {
        return false;
    }
}

// Whether every leaf of `n` over Axes has the strides `st` (by axis name) of the destination.
template <class Axes, class N>
bool has_strides(const N& n, const index_t* st) {
    using A = typename N::axes_type;
    if constexpr (is_kind<N>(node_kind::leaf)) {
        if constexpr (A::size == 0 || !same_axes_v<A, Axes>) {
            return true;
        } else {
            return [&]<std::size_t... K>(std::index_sequence<K...>) {
                return ((n.strides[K] == st[index_of_v<axis_at_t<A, K>::name, Axes>]) && ...);
            }(std::make_index_sequence<A::size>{});
        }
    } else if constexpr (is_kind<N>(node_kind::map)) {
        bool same = true;
        detail::apply([&](const auto&... c) { ((same = same && has_strides<Axes>(c, st)), ...); },
                      n.children);
        return same;
    } else {
        return true;
    }
}

// Moves the leaves of `n` that vary along V, each contiguous along V, to the row through `q`:
// afterwards the row's element i is element i of the leaf's memory, as
// `pack_eval<..., AtRow>` reads it.
template <fixed_string V, class N, class Q>
LOOM_INLINE void start_row(N& n, const Q& q) {
    if constexpr (!contains_v<V, typename N::axes_type>) {
        return;
    } else if constexpr (is_kind<N>(node_kind::leaf)) {
        using A = typename N::axes_type;
        n.data += detail::leaf_offset<A>(q, n.strides.data(), std::make_index_sequence<A::size>{});
        n.strides = {};
        n.strides[index_of_v<V, A>] = 1;
    } else {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (start_row<V>(detail::get<I>(n.children), q), ...);
        }(std::make_index_sequence<decltype(n.children)::size>{});
    }
}

// One pack of a reduction's terms at index i along the reduced axis R (at position kr of
// q), also stored at out[i] when there is an `out` (a pointer or strided_terms).
template <class L, fixed_string R, bool AtRow, class C, class Q, class Out>
LOOM_INLINE pack_t<typename C::value_type, L> reduction_term(const C& child, Q& q, std::size_t kr,
                                                             index_t i, Out out) {
    q.index[kr] = i;
    const auto v = pack_eval<L, R, AtRow>(child, q);
    if constexpr (std::is_pointer_v<Out>) simd::store(out + i, v);
    else if constexpr (!std::is_same_v<Out, std::nullptr_t>) out.put(i, v);
    return v;
}

// Where a reduction stores its terms when they do not lie contiguously: p[i * step].
template <class T>
struct strided_terms {
    T* p;
    index_t step;
    template <class P>
    LOOM_INLINE void put(index_t i, const P& v) const {
        store_strided(p + i * step, step, v);
    }
    LOOM_INLINE T& operator[](index_t i) const { return p[i * step]; }
};

// Rows at least this long (bytes per leaf) have their successor prefetched by vector_reduce:
// with the destination's row beside it, such a row no longer fits a 32 KiB L1, and the
// hardware's prefetcher, idle while the row computes in cache, falls behind (row softmax
// 4096x4096: 15-20% faster; 1024 wide, where the hardware keeps up, prefetching was slower).
inline constexpr std::size_t prefetched_row_bytes = 16 * 1024;

// Asks for the lines holding elements [i, i + n) of every leaf of `n` that varies along V,
// a tree that start_row moved to a row, to come into the cache: a hint, never a fault.
template <fixed_string V, class N>
LOOM_INLINE void prefetch_row(const N& n, index_t i, std::size_t count) {
    if constexpr (!contains_v<V, typename N::axes_type>) {
        return;
    } else if constexpr (is_kind<N>(node_kind::leaf)) {
#if defined(__GNUC__) || defined(__clang__)
        const char* at = reinterpret_cast<const char*>(n.data + i);
        for (std::size_t b = 0; b < count * sizeof(*n.data); b += 64) __builtin_prefetch(at + b, 0, 3);
#else
        (void)n, (void)i, (void)count;
#endif
    } else {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (prefetch_row<V>(detail::get<I>(n.children), i, count), ...);
        }(std::make_index_sequence<decltype(n.children)::size>{});
    }
}

// `c`, or with `Move` a copy of it moved to the row through `q` (start_row).
template <fixed_string R, bool Move, class C, class Q>
LOOM_INLINE decltype(auto) at_row(const C& c, const Q& q) {
    if constexpr (Move) {
        C moved = c;
        start_row<R>(moved, q);
        return moved;
    } else {
        return (c);
    }
}

// A reduction with its innermost loop vectorised along the reduced axis R, four packs of
// accumulators deep; the lanes are folded into the scalar state at the end. With `out` (a
// pointer or strided_terms), each term is also stored at out[i] (i: the index along R, the
// only reduced axis), so a caller can reuse the values it reduced (softmax's exp(x - max)).
// With `ahead` (the point of the row to come, for a pass that reads its row from cache), a
// long row's pass also prefetches that row's leaves.
template <fixed_string R, class N, class P, class Out = std::nullptr_t>
LOOM_FLATTEN typename N::value_type vector_reduce(const N& n, const P& p, Out out = nullptr,
                                                  const P* ahead = nullptr) {
    using C = std::remove_cvref_t<decltype(n.child)>;
    using T = typename C::value_type;
    using Pack = pack_t<T, T>;
    constexpr std::size_t W = width<T>;
    constexpr std::size_t kr = index_of_v<R, typename N::reduced_axes>;
    const auto& red = n.reducer;
    reduce_point_t<N, P> q;
    detail::copy_by_name(q, p, std::make_index_sequence<P::rank>{});
    for (std::size_t k = 0; k < N::reduced_axes::size; ++k) q.index[k] = 0;
    const index_t count = n.extents.size();
    const index_t len = n.extents.extent[kr];
    auto s = red.init();
    if (count == 0) return red.finish(s, count);
    using Red = std::remove_cvref_t<decltype(red)>;
    const Pack zero = lane_init<Red, Pack>(red);
    Pack a0 = zero, a1 = a0, a2 = a0, a3 = a0;
    // Float sums: each lane adds at most summation_block terms before the four accumulators
    // join the pairwise cascade (and the scalar tail's sum likewise).
    [[maybe_unused]] std::conditional_t<cascaded_sum<Red>, sum_cascade<Pack>, no_cascade> blocks;
    [[maybe_unused]] std::conditional_t<cascaded_sum<Red>, sum_cascade<decltype(s)>, no_cascade> tails;
    [[maybe_unused]] index_t steps = 0, tail_steps = 0;
    // The four accumulators join the cascade as one pack (generic: only float sums call it).
    [[maybe_unused]] auto fold_if_full = [&](auto& cascade) {
        if (++steps < summation_block) return;
        cascade.push((a0 + a1) + (a2 + a3));
        a0 = a1 = a2 = a3 = zero;
        steps = 0;
    };
    // A float max or min steps with the plain instruction, `a > t ? a : t` for max (the
    // NaN-aware step's choice between equal values, -0 and 0), and notes NaN terms on the
    // side: the accumulator's chain is one instruction, not a compare, a mask or and a blend
    // (the max pass of a row softmax 4096x4096: about 2x faster).
    constexpr bool extremum = std::is_floating_point_v<T> && (std::is_same_v<Red, reducer::max<T>> ||
                                                             std::is_same_v<Red, reducer::min<T>>);
    [[maybe_unused]] xsimd::batch_bool<T> nan_seen(false);
    auto plain = [](const Pack& a, const Pack& t) {
        if constexpr (std::is_same_v<Red, reducer::max<T>>) return xsimd::max(a, t);
        else return xsimd::min(a, t);
    };
    auto step = [&](const Pack& a, const Pack& t) {
        if constexpr (extremum) {
            nan_seen = nan_seen | xsimd::isnan(t);
            return plain(a, t);
        } else {
            return lane_step(red, a, t);
        }
    };
    constexpr bool keep = !std::is_same_v<Out, std::nullptr_t>;
    static_assert(!keep || N::reduced_axes::size == 1, "loom: terms are kept along one axis");
    // Terms that are element-wise along R read a copy of the child moved to each row (plain
    // loads from pointers in registers, as in the nest's rows); then a leaf strided along R
    // (met only by a kept reduction filled per row) sends the row to the scalar loop below.
    constexpr bool moves = moves_to_rows<R, C>();
    const bool packs = !moves || strided_reads<R>(n.child) == 0;
    constexpr bool may_prefetch = moves && N::reduced_axes::size == 1;
    const bool prefetches = may_prefetch && packs && ahead &&
                            std::size_t(len) * sizeof(T) >= prefetched_row_bytes;
    [[maybe_unused]] C next = n.child;  // when prefetching, moved to the row to come
    if constexpr (may_prefetch) {
        if (prefetches) {
            reduce_point_t<N, P> qa = q;
            detail::copy_by_name(qa, *ahead, std::make_index_sequence<P::rank>{});
            start_row<R>(next, qa);
        }
    }
    do {
        index_t i = 0;
        if (packs) {
            auto&& terms = at_row<R, moves>(n.child, q);
            for (; i + 4 * index_t(W) <= len; i += 4 * index_t(W)) {
                if constexpr (may_prefetch)
                    if (prefetches) prefetch_row<R>(next, i, 4 * W);
                Pack t[4];  // (four written-out terms cost compile time, not speed)
                LOOM_UNROLL_4
                for (int u = 0; u < 4; ++u)
                    t[u] = reduction_term<T, R, moves>(terms, q, kr, i + u * index_t(W), out);
                a0 = step(a0, t[0]);
                a1 = step(a1, t[1]);
                a2 = step(a2, t[2]);
                a3 = step(a3, t[3]);
                if constexpr (cascaded_sum<Red>) fold_if_full(blocks);
            }
            for (; i + index_t(W) <= len; i += index_t(W)) {
                a0 = step(a0, reduction_term<T, R, moves>(terms, q, kr, i, out));
                if constexpr (cascaded_sum<Red>) fold_if_full(blocks);
            }
        }
        for (; i < len; ++i) {
            q.index[kr] = i;
            const T v = scalar_eval<T>(n.child, q);
            if constexpr (keep) out[i] = v;
            red.step(s, v, 0);
            if constexpr (cascaded_sum<Red>) tails.counted(s, tail_steps, red.init());
        }
        q.index[kr] = 0;
    } while (advance(q, n.extents.extent, N::reduced_axes::size, kr));
    Pack a = [&] {
        if constexpr (extremum) return plain(plain(a0, a1), plain(a2, a3));
        else return lane_step(red, lane_step(red, a0, a1), lane_step(red, a2, a3));
    }();
    if constexpr (cascaded_sum<Red>) {
        a = blocks.total(a);
        s = tails.total(s);
    }
    if constexpr (extremum) {
        // A NaN among the packed terms is the result. Else the lanes fold with the plain
        // instruction too: a chain of log2(width) steps (a short row's max is mostly this).
        if (xsimd::any(nan_seen)) {
            red.step(s, std::numeric_limits<T>::quiet_NaN(), 0);
        } else {
            red.step(s, fold_lanes(a, plain), 0);
        }
    } else if constexpr (std::is_floating_point_v<T>) {
        red.step(s, fold_lanes(a, [&](const Pack& x, const Pack& y) { return lane_step(red, x, y); }), 0);
    } else {
        alignas(64) T lanes[W];
        a.store_unaligned(lanes);
        for (std::size_t i = 0; i < W; ++i) red.step(s, lanes[i], 0);
    }
    return red.finish(s, count);
}

template <class N, class P, std::size_t... K>
typename N::value_type reduce_choosing_axis(const N& n, const P& p, std::index_sequence<K...>) {
    using RA = typename N::reduced_axes;
    // The last reduced axis along which every leaf is contiguous (or constant) wins.
    std::size_t best = npos;
    ((strided_reads<axis_at_t<RA, K>::name>(n.child) == 0 && n.extents.extent[K] > 0 ? best = K
                                                                                       : best),
     ...);
    typename N::value_type out{};
    bool done = false;
    ((K == best ? (out = vector_reduce<axis_at_t<RA, K>::name>(n, p), done = true) : false), ...);
    return done ? out : n.eval(p);
}

template <class L, class N, class P, std::size_t... I>
LOOM_INLINE auto scalar_map(const N& n, const P& p, std::index_sequence<I...>) {
    return n.f(scalar_eval<L, true>(detail::get<I>(n.children), p)...);
}

// Whether N is a reduction that vector_reduce evaluates along a reduced axis its operand
// is contiguous along (else scalar_eval evaluates it element by element).
template <class N>
constexpr bool vector_reducible() {
    if constexpr (!is_kind<N>(node_kind::reduce)) {
        return false;
    } else {
        using T = typename std::remove_cvref_t<decltype(std::declval<N>().child)>::value_type;
        return packable<T, T> && lane_reducer<std::remove_cvref_t<decltype(std::declval<N>().reducer)>> &&
               std::is_same_v<typename N::value_type, T>;
    }
}

// One value of `n` at `p`. A reduction at the top (the destination's element) is vectorised
// along a contiguous reduced axis. One nested in element-wise code (a stencil's sum, not
// hoisted because it has every loop axis) is not: these scalar paths meet it in the tails of
// packed rows and in nests without packs, and its vectorised forms, one per reduced axis,
// cost more compile time than they save there.
template <class L, bool Nested, class N, class P>
LOOM_INLINE typename N::value_type scalar_eval(const N& n, const P& p) {
    if constexpr (is_kind<N>(node_kind::map)) {
        return scalar_map<L>(n, p, std::make_index_sequence<decltype(n.children)::size>{});
    } else if constexpr (is_kind<N>(node_kind::reduce) && !Nested) {
        if constexpr (vector_reducible<N>())
            return reduce_choosing_axis(n, p,
                                        std::make_index_sequence<N::reduced_axes::size>{});
        else
            return n.eval(p);
    } else {
        return n.eval(p);
    }
}

}  // namespace detail::simd
LOOM_END_NAMESPACE
LOOM_END_SIMD_CODE
