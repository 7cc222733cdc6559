/// \file
/// \brief `rename(e, from, to)`: the same values with an axis called by another name.
#pragma once

#include <loom/expr/operators.hpp>

LOOM_BEGIN_NAMESPACE

/// Its child with axis `From` called `To`.
/// @tparam Child the operand. @tparam From the child's axis name. @tparam To the new name.
template <class Child, class FromAxis, class ToAxis>
struct basic_rename_node : expr_base {
    static constexpr auto From = FromAxis::name;  ///< The child's name of the axis.
    static constexpr auto To = ToAxis::name;      ///< Its new name.
    using child_axes = typename Child::axes_type;                    ///< The child's axes.
    using value_type = typename Child::value_type;                   ///< The child's type.
    using axes_type = rename_t<child_axes, From, axis<To, axis_named_t<From, child_axes>::static_extent>>;
    ///< The child's axes with From renamed.
    static constexpr node_kind kind = node_kind::rename;  ///< For planners.
    Child child;                                          ///< The operand.

    /// The child's extent, looked up under the child's name.
    template <fixed_string Name>
    extent_info extent() const {
        if constexpr (Name == To) return child.template extent<From>();
        else return child.template extent<Name>();
    }
    /// The child's value at `p` with `To` read as `From`.
    template <class P>
    LOOM_HD value_type eval(const P& p) const {
        return child.eval(child_point(p));
    }
    /// The child's point for `p`: `To`'s index read as `From`'s.
    template <class P>
    LOOM_HD static point<child_axes> child_point(const P& p) {
        point<child_axes> q;
        fill(q, p, std::make_index_sequence<child_axes::size>{});
        return q;
    }
    /// Checks the child.
    void validate() const { child.validate(); }
    /// The same rename over the bound child.
    auto bind() const {
        auto c = child.bind();
        return basic_rename_node<decltype(c), FromAxis, ToAxis>{{}, c};
    }
    /// Visits the child's leaves.
    template <class G>
    void for_each_leaf(G&& g) const {
        child.for_each_leaf(g);
    }
    /// `rename(child, from -> to)`.
    LOOM_COLD std::string describe() const {
        return detail::call_text("rename", {child.describe(), std::string(From.view()) + " -> " +
                                                                   std::string(To.view())});
    }

private:
    template <std::size_t K, class P>
    LOOM_HD static index_t child_index(const P& p) {
        constexpr auto name = axis_at_t<child_axes, K>::name;
        if constexpr (name == From) return p.template get<To>();
        else return p.template get<name>();
    }
    template <class P, std::size_t... K>
    LOOM_HD static void fill(point<child_axes>& q, const P& p, std::index_sequence<K...>) {
        ((q.index[K] = child_index<K>(p)), ...);
    }
};

/// Its child with axis `From` called `To` (the names ride in axis types, for nvcc's stubs).
template <class Child, fixed_string From, fixed_string To>
using rename_node = basic_rename_node<Child, axis<From>, axis<To>>;

/// The same values with axis `from` called `to`: `rename(e, i, j)`. For a tensor or view,
/// the view's own rename() costs nothing at all.
template <tensor_operand E, axis_tag From, axis_tag To>
auto rename(E&& e, From, To) {
    using child = expr_t<E>;
    static_assert(From::name == To::name || !contains_v<To::name, typename child::axes_type> ||
                      report<rename_target_exists<To::name>>(),
                  "loom: rename() target is already an axis of the expression");
    if constexpr (!require_axis_of_tensor<contains_v<From::name, typename child::axes_type>,
                                          From::name>())
        return as_expr(std::forward<E>(e));  // not reached at run time: compilation failed
    else
        return rename_node<child, From::name, To::name>{{}, as_expr(std::forward<E>(e))};
}

LOOM_END_NAMESPACE
