/// \file
/// \brief Index-generated tensors: `generate(extents(i = 3, j = 4), f)` is `f(p)` at every
/// point `p`, where `f` reads the indices by name (`p[i]`).
#pragma once

#include <loom/expr/node.hpp>
#include <loom/expr/reduce.hpp>

LOOM_BEGIN_NAMESPACE

/// Extents by name for generate(): `extents(i = 3, j = 4)`.
template <named_integer... N>
auto extents(N... n) {
    using axes = axis_list<axis<std::remove_cvref_t<N>::name>...>;
    static_assert(unique_axes_v<axes>);
    return shape<axes>(n...);
}

/// The value `f(p)` at each point `p` of a shape; `f` gets a point<Axes> and reads `p[i]`.
/// @tparam F a trivially copyable callable. @tparam Axes the generated axes.
template <class F, class Axes>
struct generate_node : expr_base {
    using value_type = std::remove_cvref_t<std::invoke_result_t<const F&, const point<Axes>&>>;
    ///< `f`'s result type.
    using axes_type = Axes;                                  ///< The generated axes.
    static constexpr node_kind kind = node_kind::generate;   ///< For planners.
    F f;                                                     ///< The generator.
    shape<Axes> extents;                                     ///< The generated extents.

    /// The given extent of axis `Name`, exact.
    template <fixed_string Name>
    extent_info extent() const {
        return extent_info::exact(extents.template get<Name>());
    }
    /// `f` at the part of `p` that names this node's axes.
    template <class P>
    LOOM_HD value_type eval(const P& p) const {
        point<Axes> q;
        detail::copy_by_name(q, p, std::make_index_sequence<P::rank>{});
        return f(q);
    }
    /// Nothing to check.
    void validate() const {}
    /// Itself.
    generate_node bind() const { return *this; }
    /// No leaves.
    template <class G>
    void for_each_leaf(G&&) const {}
    /// `generate{i: 3, j: 4}`.
    LOOM_COLD std::string describe() const { return "generate" + extents.to_string(); }
};

/// A tensor expression whose value at each point is `f(p)`; `p[i]` is the index along `i`:
/// `generate(extents(i = 3, j = 4), [=](auto p) { return float(p[i] * 10 + p[j]); })`.
template <class Axes, class F>
auto generate(const shape<Axes>& s, F f) {
    static_assert(std::is_invocable_v<const F&, const point<Axes>&>,
                  "loom: generate() needs a function of one point, read with p[axis]");
    return generate_node<F, Axes>{{}, std::move(f), s};
}

LOOM_END_NAMESPACE
