/// \file
/// \brief `share(e)`: names a subexpression that is used more than once, so that the
/// planner computes it once into a temporary instead of once per use.
#pragma once

#include <loom/expr/node.hpp>

LOOM_BEGIN_NAMESPACE

/// Its child, marked for the planner: `simd` and `par` evaluate every copy of it once, into a
/// temporary laid out in the enclosing loop order; `seq` evaluates it in place.
/// @tparam Child the shared expression.
template <class Child>
struct shared_node : expr_base {
    using value_type = typename Child::value_type;        ///< The child's type.
    using axes_type = typename Child::axes_type;          ///< The child's axes.
    static constexpr node_kind kind = node_kind::shared;  ///< For planners.
    Child child;                                          ///< The shared expression.

    /// The child's extent.
    template <fixed_string Name>
    extent_info extent() const {
        return child.template extent<Name>();
    }
    /// The child's value.
    template <class P>
    LOOM_HD value_type eval(const P& p) const {
        return child.eval(p);
    }
    /// Checks the child.
    void validate() const { child.validate(); }
    /// The same mark over the bound child.
    auto bind() const {
        auto c = child.bind();
        return shared_node<decltype(c)>{{}, c};
    }
    /// Visits the child's leaves.
    template <class G>
    void for_each_leaf(G&& g) const {
        child.for_each_leaf(g);
    }
    /// `share(child)`.
    LOOM_COLD std::string describe() const { return "share(" + child.describe() + ")"; }
};

/// Marks `e` as used more than once: `auto s = share(exp(x - max(x, j))); y = s / sum(s, j);`
/// computes the exponentials once under `simd` and `par`.
template <operand E>
    requires(!std::is_arithmetic_v<std::remove_cvref_t<E>>)
auto share(E&& e) {
    return shared_node<expr_t<E>>{{}, as_expr(std::forward<E>(e))};
}

LOOM_END_NAMESPACE
