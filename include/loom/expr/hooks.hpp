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
            (resolve<axis_at_t<DstAxes, K>>(node, s.extent[K],
                                             current ? &current->extent[K] : nullptr), ...);
        }(std::make_index_sequence<DstAxes::size>{});
        return s;
    }

    template <class Source, class... A>
    static auto access(Source&& v, A&&... a) {
        return loom::at(std::forward<Source>(v), std::forward<A>(a)...);
    }

private:
    template <class Axis, class N>
    static void resolve(const N& node, index_t& out, const index_t* current) {
        const extent_info e = node.template extent<Axis::name>();
        if (e.kind == extent_kind::exact) out = e.value;
        else if (current) out = *current;
        else if (e.kind == extent_kind::hint) out = e.value;
        else if (Axis::static_extent != dynamic_extent) out = Axis::static_extent;
        else
            throw shape_error("loom: the extent of axis '" + std::string(Axis::name.view()) +
                              "' is not determined by the expression; assign into a tensor "
                              "that already has the extent");
        if (Axis::static_extent != dynamic_extent && out != Axis::static_extent)
            throw shape_error("loom: axis '" + std::string(Axis::name.view()) +
                              "' has the static extent " + std::to_string(Axis::static_extent) +
                              " but the expression's extent is " + std::to_string(out));
    }
};

}  // namespace detail
LOOM_END_NAMESPACE
