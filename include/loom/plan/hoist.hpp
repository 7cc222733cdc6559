/// \file
/// \brief Hoisting: a reduction nested in an expression whose free axes are fewer than the
/// loops around it would be recomputed for every value of the missing axes (softmax's max
/// and sum: O(n^2) instead of O(n)). The planner evaluates each such reduction once into a
/// small temporary, laid out in the enclosing loop order, and reads that instead. A
/// reduction over all the loops' axes under an element-wise function (`sum(x, j) * 2`) is
/// evaluated first by a nest of its own, which vectorises along its reduced axes.
#pragma once

#include <loom/expr/map.hpp>
#include <loom/expr/reduce.hpp>
#include <loom/expr/share.hpp>
#include <loom/storage/list_edit.hpp>

#include <string>
#include <vector>

LOOM_BEGIN_NAMESPACE

/// What the planner hoisted out of a loop nest, for explain().
struct hoisted_reduction {
    std::string what;    ///< The reduction, as describe() prints it.
    std::string layout;  ///< The temporary's axes and extents, in memory order.
    bool per_row = false;  ///< Filled one element per row of the nest, just before the row.
    std::string kept;      ///< For an operand computed once and read back: where it is kept.
};

namespace detail {

template <class T>
struct type_tag {
    using type = T;
};

// The extents of the axes `Layout` (all of them in `loop`), taken from `loop` by name.
template <class Layout, class Loop>
shape<Layout> extents_by_name(const shape<Loop>& loop) {
    shape<Layout> s;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((s.extent[K] = loop.template get<axis_at_t<Layout, K>::name>()), ...);
    }(std::make_index_sequence<Layout::size>{});
    return s;
}

template <fixed_string Name, class R, class L>
index_t extent_in(const shape<R>& reduced, const shape<L>& loop) {
    if constexpr (contains_v<Name, R>) return reduced.template get<Name>();
    else return loop.template get<Name>();
}

template <class Loop, class N, class M>
auto hoist(const N& n, const shape<Loop>& loop, M& materialize,
           std::vector<hoisted_reduction>* log);

// Whether S is a reduction over one axis, hoisted out of loops over `Loop`, of exactly C.
template <class Loop, class C, class S>
constexpr bool reduces_operand() {
    if constexpr (S::kind != node_kind::reduce) {
        return false;
    } else {
        return S::axes_type::size < Loop::size && S::reduced_axes::size == 1 &&
               std::is_same_v<std::remove_cvref_t<decltype(std::declval<S>().child)>, C>;
    }
}

// The first sibling of C, among a map node's children, that reduces C (`e / sum(e, j)`:
// the sum's pass can keep the values of e it computes); void if none.
template <class Loop, class C, class Children>
struct reducing_sibling {
    using type = void;
};
template <class Loop, class C, class S, class... Rest>
struct reducing_sibling<Loop, C, tuple<S, Rest...>> {
    using type = std::conditional_t<reduces_operand<Loop, C, S>(), S,
                                    typename reducing_sibling<Loop, C, tuple<Rest...>>::type>;
};

// Whether N is leaves and constants combined element-wise (no access, rename or reduction).
template <class N>
constexpr bool reads_plainly() {
    if constexpr (N::kind == node_kind::map) {
        using Children = std::remove_cvref_t<decltype(std::declval<N>().children)>;
        return []<class... C>(tuple<C...>*) {
            return (reads_plainly<C>() && ...);
        }(static_cast<Children*>(nullptr));
    } else {
        return N::kind == node_kind::leaf || N::kind == node_kind::scalar;
    }
}
// Whether operand C of a map node is a reduction, of plain terms, whose free axes are all the
// loops' (`sum(x, j) * 2` into {i}, `sum(a * b, k) + bias`). Inside the map's nest its terms
// would be read one pack per term across the reduced axis (gathers when that axis is the
// contiguous one: 8x slower); evaluated once into a temporary by a nest of its own, it runs
// as a top reduction (contiguous lanes, row sweeps, the GEMM plug-in). Stencils (accesses)
// stay in the map's nest, which already reads their terms in packs along the loops.
template <class Loop, class C>
constexpr bool full_reduction_operand() {
    if constexpr (C::kind == node_kind::reduce)
        return C::axes_type::size == Loop::size &&
               reads_plainly<std::remove_cvref_t<decltype(std::declval<C>().child)>>();
    else return false;
}

// One operand of a map node: a full reduction of plain terms, evaluated whole into a
// temporary; kept from its sibling reduction's pass when the materialiser can
// (`materialize.stash`); else hoisted as usual.
template <class Loop, class C, class Children, class M>
auto hoist_operand(const C& c, const shape<Loop>& loop, M& materialize,
                   std::vector<hoisted_reduction>* log) {
    using S = typename reducing_sibling<Loop, C, Children>::type;
    if constexpr (full_reduction_operand<Loop, C>()) {
        if (log) log->push_back({c.describe(), loop.to_string(), false, {}});
        return materialize(type_tag<Loop>{}, c, loop);
    } else if constexpr (C::kind != node_kind::leaf && !std::is_void_v<S>) {
        if constexpr (M::template stashes<Loop, C, S>) return materialize.stash(c, loop);
        else return hoist(c, loop, materialize, log);
    } else {
        return hoist(c, loop, materialize, log);
    }
}

// Whether hoist() finds anything to hoist in `N` inside loops over `Loop` (a reduction whose
// free axes are fewer than the loops', or a shared subexpression); executors skip the
// hoisting machinery entirely when not, which saves much compile time.
template <class Loop, class N>
constexpr bool has_hoistable() {
    if constexpr (N::kind == node_kind::map) {
        using Children = std::remove_cvref_t<decltype(std::declval<N>().children)>;
        return []<class... C>(tuple<C...>*) {
            return ((full_reduction_operand<Loop, C>() || has_hoistable<Loop, C>()) || ... ||
                    false);
        }(static_cast<Children*>(nullptr));
    } else if constexpr (N::kind == node_kind::reduce) {
        using free = typename N::axes_type;
        using red = typename N::reduced_axes;
        if constexpr (free::size < Loop::size)
            return true;
        else
            return has_hoistable<concat_t<difference_t<Loop, red>, red>,
                                 std::remove_cvref_t<decltype(std::declval<N>().child)>>();
    } else {
        return N::kind == node_kind::shared;
    }
}

// Rewrites `n`, evaluated inside loops over `Loop` with extents `loop`, so that every
// reduction whose free axes are a strict subset of its enclosing loops is read from a
// temporary made by `materialize(type_tag<Layout>, reduction, extents)`. An operand that a
// sibling reduction reduces (`e` in `e / sum(e, j)`) may instead be read from where that
// reduction's pass stored it (`materialize.stash`), so it is computed once.
template <class Loop, class N, class M>
auto hoist(const N& n, const shape<Loop>& loop, M& materialize,
           std::vector<hoisted_reduction>* log) {
    if constexpr (N::kind == node_kind::map) {
        using Children = std::remove_cvref_t<decltype(n.children)>;
        return detail::apply(
            [&](const auto&... c) {
                using F = std::remove_cvref_t<decltype(n.f)>;
                return map_node<F, decltype(hoist_operand<Loop, std::remove_cvref_t<decltype(c)>,
                                                          Children>(c, loop, materialize,
                                                                    log))...>(
                    checked, n.f,
                    hoist_operand<Loop, std::remove_cvref_t<decltype(c)>, Children>(
                        c, loop, materialize, log)...);
            },
            n.children);
    } else if constexpr (N::kind == node_kind::reduce) {
        using free = typename N::axes_type;
        using red = typename N::reduced_axes;
        if constexpr (free::size < Loop::size) {
            using layout = intersection_t<Loop, free>;
            const auto s = extents_by_name<layout>(loop);
            if (log) log->push_back({n.describe(), s.to_string(), false, {}});
            return materialize(type_tag<layout>{}, n, s);
        } else {
            // Inside the reduction, the loops are the outer ones plus the reduced axes.
            using inner = concat_t<difference_t<Loop, red>, red>;
            shape<inner> si;
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                ((si.extent[K] = extent_in<axis_at_t<inner, K>::name>(n.extents, loop)), ...);
            }(std::make_index_sequence<inner::size>{});
            auto c = hoist(n.child, si, materialize, log);
            using RA = typename N::reduced_axes;
            return reduce_node<decltype(c), RA, std::remove_cvref_t<decltype(n.reducer)>>(
                std::move(c), n.reducer, n.extents);
        }
    } else if constexpr (N::kind == node_kind::shared) {
        using layout = intersection_t<Loop, typename N::axes_type>;
        const auto s = extents_by_name<layout>(loop);
        if (log) log->push_back({n.describe(), s.to_string(), false, {}});
        return materialize(type_tag<layout>{}, n.child, s);
    } else {
        return n;  // leaves, generators, and accesses and renames (whose inner loops differ)
    }
}

}  // namespace detail
LOOM_END_NAMESPACE
