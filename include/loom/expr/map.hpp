/// \file
/// \brief The element-wise node: `map(f, a, b, ...)` applies `f` to operands broadcast by
/// name; arithmetic, comparisons, `where`, casts and math functions are all maps.
#pragma once

#include <loom/detail/tuple.hpp>
#include <loom/expr/node.hpp>

#include <concepts>
#include <functional>

LOOM_BEGIN_NAMESPACE

namespace detail {
// Marks a constructor call whose operands were checked when the expression was built.
struct checked_t {};
inline constexpr checked_t checked{};

template <class F>
constexpr const char* functor_name() {
    if constexpr (requires { F::name; }) return F::name;
    else return "map";
}

template <class... C>
struct union_all {
    using type = axis_list<>;
};
template <class C0, class... C>
struct union_all<C0, C...> {
    using type = union_t<typename C0::axes_type, typename union_all<C...>::type>;
};
}  // namespace detail

/// Applies `F` to the values of its children at each point; the free axes are the union of
/// the children's, whatever their order. The children's extents of a shared axis must agree.
/// @tparam F a trivially copyable callable. @tparam Children the operand nodes.
template <class F, class... Children>
struct map_node : expr_base {
    using value_type =
        std::remove_cvref_t<std::invoke_result_t<const F&, typename Children::value_type...>>;
    ///< Type of `f`'s result.
    using axes_type = typename detail::union_all<Children...>::type;  ///< Union of the operands'.
    static constexpr node_kind kind = node_kind::map;                 ///< For planners.
    static_assert(unique_axes_v<axes_type>);

    F f;                                  ///< The element function.
    detail::tuple<Children...> children;  ///< The operands.

    /// Builds the node, checking that shared axes have the same extent in every operand.
    map_node(F fn, Children... c) : f(std::move(fn)), children{{{std::move(c)}...}} {
        check_extents(std::make_index_sequence<axes_type::size>{});
    }
    /// Builds the node from operands already checked together (bind() and the planner).
    map_node(detail::checked_t, F fn, Children... c)
        : f(std::move(fn)), children{{{std::move(c)}...}} {}

    /// What the operands know of the extent of axis `Name`, merged.
    template <fixed_string Name>
    extent_info extent() const {
        extent_info e;
        each([&](const auto& c) {
            if constexpr (contains_v<Name, typename std::remove_cvref_t<decltype(c)>::axes_type>)
                e = detail::merge_extent(Name.view(), e, c.template extent<Name>());
        });
        return e;
    }
    /// `f` of the operands' values at `p`.
    template <class P>
    LOOM_INLINE LOOM_HD value_type eval(const P& p) const {
        return eval_at(p, std::index_sequence_for<Children...>{});
    }
    /// Checks every operand.
    void validate() const {
        each([](const auto& c) { c.validate(); });
    }
    /// The same map over bound operands.
    auto bind() const {
        return detail::apply(
            [&](const auto&... c) {
                return map_node<F, decltype(c.bind())...>(detail::checked, f, c.bind()...);
            },
            children);
    }
    /// Visits the operands' leaves.
    template <class G>
    void for_each_leaf(G&& g) const {
        each([&](const auto& c) { c.for_each_leaf(g); });
    }
    /// `map(f, a, b)` with the operands described.
    LOOM_COLD std::string describe() const {
        return detail::apply(
            [](const auto&... c) {
                return detail::call_text(detail::functor_name<F>(),
                                         {std::string_view(c.describe())...});
            },
            children);
    }

private:
    template <class G>
    void each(G&& g) const {
        detail::apply([&](const auto&... c) { (g(c), ...); }, children);
    }
    template <class P, std::size_t... I>
    LOOM_INLINE LOOM_HD value_type eval_at(const P& p, std::index_sequence<I...>) const {
        return f(detail::get<I>(children).eval(p)...);
    }
    template <std::size_t... K>
    void check_extents(std::index_sequence<K...>) const {
        (void(extent<axis_at_t<axes_type, K>::name>()), ...);
    }
};

namespace detail {
template <bool Ok, class A, class B>
constexpr bool check_mixed() {
    static_assert(Ok || report<mixed_element_types<A, B>>(),
                  "loom: operands have different element types; convert one with "
                  "loom::cast<T>(x) (see mixed_element_types<...>)");
    return Ok;
}

// Scalars adopt the element type of the tensor operands; tensors must agree exactly.
template <class... E>
struct common_element;
template <class E>
struct common_element<E> {
    static constexpr bool ok = true;
    using type = typename expr_t<E>::value_type;
};
template <class A, class B, class... E>
struct common_element<A, B, E...> {
    using a = typename common_element<A>::type;
    using b = typename common_element<B, E...>::type;
    static constexpr bool a_scalar = std::is_arithmetic_v<std::remove_cvref_t<A>>;
    static constexpr bool b_scalar = (std::is_arithmetic_v<std::remove_cvref_t<B>> && ... &&
                                      std::is_arithmetic_v<std::remove_cvref_t<E>>);
    static constexpr bool ok = check_mixed<a_scalar || b_scalar || std::is_same_v<a, b>, a, b>();
    using type = std::conditional_t<a_scalar && !b_scalar, b, a>;
};

template <class T, class E>
auto as_typed_expr(E&& e) {
    if constexpr (std::is_arithmetic_v<std::remove_cvref_t<E>>)
        return scalar<T>{{}, static_cast<T>(e)};
    else
        return as_expr(std::forward<E>(e));
}
}  // namespace detail

/// Applies a user function element-wise to operands broadcast by name:
/// `map([](float a, float b) { return a * b + 1; }, x, y)`. The function must be callable
/// with the operands' element types; for CUDA it must also be a host-device callable.
template <class F, operand... E>
    requires(sizeof...(E) > 0)
auto map(F f, E&&... e) {
    static_assert(std::is_invocable_v<const F&, typename expr_t<E>::value_type...>,
                  "loom: map() needs a function callable with the operands' element types");
    return map_node<F, expr_t<E>...>(std::move(f), as_expr(std::forward<E>(e))...);
}

namespace detail {
// Like map(), but arithmetic scalars take the element type of the other operands, and
// differing element types of tensor operands are an error.
template <class F, class... E>
auto map_same_type(F f, E&&... e) {
    using T = typename common_element<E...>::type;
    if constexpr (!common_element<E...>::ok) {
        return scalar<T>{};  // not reached at run time: compilation failed, naming the types
    } else {
        return map_node<F, decltype(as_typed_expr<T>(std::forward<E>(e)))...>(
            std::move(f), as_typed_expr<T>(std::forward<E>(e))...);
    }
}
}  // namespace detail

LOOM_END_NAMESPACE
