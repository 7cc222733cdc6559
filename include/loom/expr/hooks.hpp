/// \file
/// \brief What storage asks of the expression layer: the extents of an expression for a
/// destination, and `x.at(...)` as an expression. Declared in storage/fwd.hpp.
#pragma once

#include <loom/expr/access.hpp>

LOOM_BEGIN_NAMESPACE
namespace detail {

// The destination and the expression must name the same axes; each axis on one side only
// fails to compile, naming it.
template <class Dst, class Src>
constexpr bool check_assign_axes() {
    return []<class... D, class... S>(axis_list<D...>*, axis_list<S...>*) {
        return (require_expression_axis<contains_v<D::name, Src>, D::name>() & ... & 1) &
               (require_destination_axis<contains_v<S::name, Dst>, S::name>() & ... & 1);
    }(static_cast<Dst*>(nullptr), static_cast<Src*>(nullptr));
}

template <class From, class To>
constexpr bool check_conversion() {
    constexpr bool ok = requires(From f) { To{f}; };
    static_assert(ok || report<narrowing_assignment<From, To>>(),
                  "loom: assigning would narrow the element type; write loom::cast<T>(e) "
                  "(see narrowing_assignment<...>)");
    return ok;
}

template <class... Args>
struct expr_hooks {
    // Extents for a destination with axes `DstAxes`: exact extents of the expression first,
    // then the destination's current extents (when given), then the expression's hints.
    template <class DstAxes, class E>
    static shape<DstAxes> shape_for(const E& e, const shape<DstAxes>* current = nullptr) {
        decltype(auto) node = node_ref(e);
        using N = std::remove_cvref_t<decltype(node)>;
        shape<DstAxes> s;
        if constexpr (!check_assign_axes<DstAxes, typename N::axes_type>()) return s;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((s.extent[K] = resolve_extent(
                  axis_at_t<DstAxes, K>::name.view(),
                  node.template extent<axis_at_t<DstAxes, K>::name>(),
                  current ? &current->extent[K] : nullptr, axis_at_t<DstAxes, K>::static_extent)),
             ...);
        }(std::make_index_sequence<DstAxes::size>{});
        return s;
    }

    template <class Source, class... A>
    static auto access(Source&& v, A&&... a) {
        return loom::at(std::forward<Source>(v), std::forward<A>(a)...);
    }

};

}  // namespace detail
LOOM_END_NAMESPACE
