/// \file
/// \brief The `seq` executor: a plain scalar loop over the destination's elements in memory
/// order, evaluating the expression at each point. Simple on purpose: it is the reference.
#pragma once

#include <loom/exec/assign_checks.hpp>
#include <loom/exec/policy.hpp>

LOOM_BEGIN_NAMESPACE

/// Runs expressions one element at a time; the reference every other executor must match.
template <>
struct executor<seq_policy> {
    /// Evaluates `e` into `dst`. Axes must match by name (checked at compile time), extents
    /// must agree (shape_error otherwise), and index tensors are checked, all before the first
    /// write. When `dst` overlaps an operand, the result goes through a temporary.
    /// `fresh`: a `detail::fresh_destination` when dst was allocated for this assignment.
    template <class T, class Axes, class E, class... Fresh>
    static void assign(const seq_policy&, const basic_tensor_view<T, Axes>& dst, const E& e,
                       Fresh... fresh) {
        detail::checked_assign(
            dst, e, [](const auto& out, const auto& node) { run(out, node); }, fresh...);
    }

private:
    template <class T, class Axes, class N>
    static void run(const basic_tensor_view<T, Axes>& dst, const N& node) {
        const auto bound = node.bind();
        T* out = dst.data();
        const index_t* strides = dst.strides().data();
        detail::for_each_index(dst.shape(), [&](const point<Axes>& p) {
            out[detail::offset_of(p, strides)] = static_cast<T>(bound.eval(p));
        });
    }
};

/// Evaluates `e` with policy `policy` into a new tensor whose axes are the expression's.
template <executor_policy P, operand E>
auto eval(const P& policy, const E& e) {
    decltype(auto) node = detail::node_ref(e);
    using N = std::remove_cvref_t<decltype(node)>;
    using out_t = basic_tensor<typename N::value_type, typename N::axes_type>;
    out_t out(detail::expr_hooks<E>::template shape_for<typename N::axes_type>(node));
    detail::assign_fresh(policy, out.view(), node);
    return out;
}

/// Evaluates `e` with the default policy into a new tensor whose axes are the expression's.
template <operand E>
auto eval(const E& e) {
    return eval(typename detail::default_policy<E>::type{}, e);
}

LOOM_END_NAMESPACE
