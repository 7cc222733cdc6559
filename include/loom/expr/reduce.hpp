/// \file
/// \brief The reduction node and the reductions: sum, prod, max, min, mean, logsumexp,
/// argmax, argmin, and reduce() with a user combine. A contraction is `sum(a * b, k)`.
#pragma once

#include <loom/detail/tuple.hpp>
#include <loom/expr/node.hpp>
#include <loom/expr/reducers.hpp>
#include <loom/expr/summation.hpp>
#include <loom/storage/list_edit.hpp>

LOOM_BEGIN_NAMESPACE

namespace detail {

template <class Q, class P, std::size_t K>
LOOM_HD constexpr void copy_one(Q& q, const P& p) {
    constexpr std::size_t j =
        index_of_v<axis_at_t<typename P::axes_type, K>::name, typename Q::axes_type>;
    if constexpr (j != npos) q.index[j] = p.index[K];
}

// Copies the indices of `p` into `q` by name, for the axes of `p` that `q` has.
template <class Q, class P, std::size_t... K>
LOOM_HD constexpr void copy_by_name(Q& q, const P& p, std::index_sequence<K...>) {
    (copy_one<Q, P, K>(q, p), ...);
}

template <class Axes, class Child, std::size_t... K>
shape<Axes> extents_of_reduced(const Child& c, std::index_sequence<K...>) {
    shape<Axes> s;
    auto take = [&](auto name_holder, std::size_t k) {
        constexpr auto name = decltype(name_holder)::name;
        const extent_info e = c.template extent<name>();
        if (e.kind == extent_kind::unknown)
            throw shape_error("loom: the extent of reduced axis '" + std::string(name.view()) +
                              "' is not known; combine the expression with an operand that "
                              "has this axis");
        s.extent[k] = e.value;
    };
    (void)take;
    (take(axis_at_t<Axes, K>{}, K), ...);
    return s;
}

}  // namespace detail

/// Reduces its child over the axes `RedAxes` with reducer `R`; the free axes are the child's
/// others. Evaluated at a point, it loops over the reduced axes (the point's own values of
/// axes with the same names are shadowed).
/// @tparam Child the operand. @tparam RedAxes the reduced axes. @tparam R the reducer.
template <class Child, class RedAxes, class R>
struct reduce_node : expr_base {
    using value_type = typename R::result_type;                               ///< R's result.
    using axes_type = difference_t<typename Child::axes_type, RedAxes>;       ///< Kept axes.
    using reduced_axes = intersection_t<typename Child::axes_type, RedAxes>;  ///< Reduced ones.
    static constexpr node_kind kind = node_kind::reduce;                      ///< For planners.

    Child child;                   ///< The operand.
    R reducer;                     ///< How values combine.
    shape<reduced_axes> extents;   ///< Extents of the reduced axes.

    /// Builds the node; throws shape_error if a reduced axis's extent cannot be known.
    reduce_node(Child c, R r)
        : child(std::move(c)),
          reducer(std::move(r)),
          extents(detail::extents_of_reduced<reduced_axes>(
              child, std::make_index_sequence<reduced_axes::size>{})) {}
    /// Builds the node with known extents of the reduced axes.
    reduce_node(Child c, R r, const shape<reduced_axes>& e)
        : child(std::move(c)), reducer(std::move(r)), extents(e) {}

    /// The child's extent of a kept axis.
    template <fixed_string Name>
    extent_info extent() const {
        return child.template extent<Name>();
    }
    /// The reduction over the reduced axes at point `p`.
    template <class P>
    LOOM_HD value_type eval(const P& p) const {
        using QA = detail::concat_t<reduced_axes, difference_t<typename P::axes_type, reduced_axes>>;
        point<QA> q;
        detail::copy_by_name(q, p, std::make_index_sequence<P::rank>{});
        constexpr std::size_t r = reduced_axes::size;
        for (std::size_t k = 0; k < r; ++k) q.index[k] = 0;  // shadow any outer index of them
        const index_t n = extents.size();
        auto s = reducer.init();
        [[maybe_unused]] std::conditional_t<detail::cascaded_sum<R>, detail::sum_cascade<decltype(s)>,
                                            detail::no_cascade> blocks;
        [[maybe_unused]] index_t terms = 0;
        for (index_t flat = 0; flat < n; ++flat) {
            reducer.step(s, child.eval(q), flat);
            if constexpr (detail::cascaded_sum<R>) blocks.counted(s, terms, reducer.init());
            for (std::size_t k = r; k-- > 0;) {  // odometer over the reduced axes
                if (++q.index[k] < extents.extent[k]) break;
                q.index[k] = 0;
            }
        }
        if constexpr (detail::cascaded_sum<R>) s = blocks.total(s);
        return reducer.finish(s, n);
    }
    /// Checks the child.
    void validate() const { child.validate(); }
    /// The same reduction over the bound child.
    auto bind() const {
        auto c = child.bind();
        return reduce_node<decltype(c), RedAxes, R>(c, reducer, extents);
    }
    /// Visits the child's leaves.
    template <class G>
    void for_each_leaf(G&& g) const {
        child.for_each_leaf(g);
    }
    /// `sum(child, {in: 256})`.
    LOOM_COLD std::string describe() const {
        return detail::call_text(R::name, {child.describe(), extents.to_string()});
    }
};

namespace detail {

// Every reduced axis must be an axis of the expression, each named once.
template <class Axes, class... A>
constexpr bool check_reduced_axes() {
    return (require_reducible_axis<contains_v<A::name, Axes>, A::name>() & ... & 1) &&
           unique_axes_v<axis_list<axis<A::name>...>>;
}

// Reduces `e` over the named axes (all of its axes when none are named) with reducer R<T>.
template <template <class> class R, class E, class... A>
auto reduce_with(E&& e, A...) {
    using node = expr_t<E>;
    using axes = typename node::axes_type;
    if constexpr (check_reduced_axes<axes, A...>()) {
        using red = std::conditional_t<sizeof...(A) == 0, axes, axis_list<axis<A::name>...>>;
        using reducer_type = R<typename node::value_type>;
        return reduce_node<node, red, reducer_type>(as_expr(std::forward<E>(e)), reducer_type{});
    } else {
        return as_expr(std::forward<E>(e));  // not reached at run time: compilation failed
    }
}

}  // namespace detail

/// Sum over the named axes (all axes when none are named): `sum(x, i)`, `sum(a * b, k)`.
template <operand E, axis_tag... A>
auto sum(E&& e, A... a) {
    return detail::reduce_with<reducer::sum>(std::forward<E>(e), a...);
}
/// Product over the named axes (all when none are named).
template <operand E, axis_tag... A>
auto prod(E&& e, A... a) {
    return detail::reduce_with<reducer::prod>(std::forward<E>(e), a...);
}
/// Maximum over the named axes (all when none are named); NaN propagates.
template <operand E, axis_tag... A>
auto max(E&& e, A... a) {
    return detail::reduce_with<reducer::max>(std::forward<E>(e), a...);
}
/// Minimum over the named axes (all when none are named); NaN propagates.
template <operand E, axis_tag... A>
auto min(E&& e, A... a) {
    return detail::reduce_with<reducer::min>(std::forward<E>(e), a...);
}
/// Arithmetic mean over the named axes (all when none are named).
template <operand E, axis_tag... A>
auto mean(E&& e, A... a) {
    return detail::reduce_with<reducer::mean>(std::forward<E>(e), a...);
}
/// `log(sum(exp(e), axes))`, stable for large inputs.
template <operand E, axis_tag... A>
auto logsumexp(E&& e, A... a) {
    return detail::reduce_with<reducer::logsumexp>(std::forward<E>(e), a...);
}
/// Position of the (first) maximum along one axis, as `loom::index_t`.
template <operand E, axis_tag A>
auto argmax(E&& e, A a) {
    return detail::reduce_with<reducer::argmax>(std::forward<E>(e), a);
}
/// Position of the (first) minimum along one axis, as `loom::index_t`.
template <operand E, axis_tag A>
auto argmin(E&& e, A a) {
    return detail::reduce_with<reducer::argmin>(std::forward<E>(e), a);
}

/// A user reduction over one or more axes: `reduce(e, i, j, init, combine)` folds
/// `state = combine(state, value)` from `init`; the result has init's type. For results that
/// must not depend on order, `combine` should be associative and commutative.
template <operand E, class... Args>
    requires(sizeof...(Args) >= 3)
auto reduce(E&& e, Args... args) {
    auto all = detail::make_tuple(args...);
    constexpr std::size_t n = sizeof...(Args);
    auto init = detail::get<n - 2>(all);
    auto combine = detail::get<n - 1>(all);
    using node = expr_t<E>;
    using T = typename node::value_type;
    using S = decltype(init);
    static_assert(!(std::is_integral_v<S> && std::is_floating_point_v<T>),
                  "loom: reduce()'s init is an integer but the elements are floating point, so "
                  "every step would truncate; write the init as 0.0f (or 0.0)");
    static_assert(std::is_invocable_v<const decltype(combine)&, S, T>,
                  "loom: reduce() needs combine(state, value) callable with init's type and the "
                  "element type");
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
        using axes = typename node::axes_type;
        static_assert((axis_tag<decltype(detail::get<K>(all))> && ...),
                      "loom: reduce(e, axes..., init, combine) takes axis tags before init");
        detail::check_reduced_axes<axes, std::remove_cvref_t<decltype(detail::get<K>(all))>...>();
        using red = axis_list<axis<std::remove_cvref_t<decltype(detail::get<K>(all))>::name>...>;
        using R = reducer::custom<T, S, decltype(combine)>;
        return reduce_node<node, red, R>(as_expr(std::forward<E>(e)), R{init, combine});
    }(std::make_index_sequence<n - 2>{});
}

LOOM_END_NAMESPACE
