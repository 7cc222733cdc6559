/// \file
/// \brief Hoisting: a reduction nested in an expression whose free axes are fewer than the
/// loops around it would be recomputed for every value of the missing axes (softmax's max
/// and sum: O(n^2) instead of O(n)). The planner evaluates each such reduction once into a
/// small temporary, laid out in the enclosing loop order, and reads that instead.
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
};

namespace detail {

template <class T>
struct type_tag {
    using type = T;
};

template <fixed_string Name, class R, class L>
index_t extent_in(const shape<R>& reduced, const shape<L>& loop) {
    if constexpr (contains_v<Name, R>) return reduced.template get<Name>();
    else return loop.template get<Name>();
}

// Rewrites `n`, evaluated inside loops over `Loop` with extents `loop`, so that every
// reduction whose free axes are a strict subset of its enclosing loops is read from a
// temporary made by `materialize(type_tag<Layout>, reduction, extents)`.
template <class Loop, class N, class M>
auto hoist(const N& n, const shape<Loop>& loop, M& materialize,
           std::vector<hoisted_reduction>* log) {
    if constexpr (N::kind == node_kind::map) {
        return detail::apply(
            [&](const auto&... c) {
                using F = std::remove_cvref_t<decltype(n.f)>;
                return map_node<F, decltype(hoist(c, loop, materialize, log))...>(
                    checked, n.f, hoist(c, loop, materialize, log)...);
            },
            n.children);
    } else if constexpr (N::kind == node_kind::reduce) {
        using free = typename N::axes_type;
        using red = typename N::reduced_axes;
        if constexpr (free::size < Loop::size) {
            using layout = intersection_t<Loop, free>;
            shape<layout> s;
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                ((s.extent[K] = loop.template get<axis_at_t<layout, K>::name>()), ...);
            }(std::make_index_sequence<layout::size>{});
            if (log) log->push_back({n.describe(), s.to_string()});
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
        shape<layout> s;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((s.extent[K] = loop.template get<axis_at_t<layout, K>::name>()), ...);
        }(std::make_index_sequence<layout::size>{});
        if (log) log->push_back({n.describe(), s.to_string()});
        return materialize(type_tag<layout>{}, n.child, s);
    } else {
        return n;  // leaves, generators, and accesses and renames (whose inner loops differ)
    }
}

}  // namespace detail
LOOM_END_NAMESPACE
