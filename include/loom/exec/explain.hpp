/// \file
/// \brief `explain(e)`: the loop nest that will evaluate an expression, in its axis names.
#pragma once

#include <loom/exec/par.hpp>
#include <loom/exec/scheduled.hpp>
#include <loom/exec/seq.hpp>
#include <loom/exec/simd.hpp>

#include <string>

LOOM_BEGIN_NAMESPACE

/// The loop nest that evaluates `e` into a tensor with the expression's axes under `policy`:
/// loops outermost first with their extents, the vectorised axis and pack width, the
/// reductions hoisted into temporaries (with their layout), the threads, and the value
/// computed in the innermost loop.
template <executor_policy P, operand E>
LOOM_COLD std::string explain(const P& policy, const E& e) {
    decltype(auto) node = detail::node_ref(e);
    using N = std::remove_cvref_t<decltype(node)>;
    using A = typename N::axes_type;
    const auto s = detail::expr_hooks<E>::template shape_for<A>(node);
    if constexpr (requires { executor<P>::template plan<typename N::value_type>(policy, s, node); }) {
        return executor<P>::template plan<typename N::value_type>(policy, s, node).to_string();
    } else {
        loop_plan out;
        out.policy = P::name;
        out.loops = detail::loop_names(detail::names_of<A>, s.extent, A::size, npos);
        out.body = node.describe();
        return out.to_string();
    }
}

/// The loop nest that evaluates `e` into the tensor `dst` under `policy`: like explain(policy,
/// e), but in the destination's axis order and extents (a transposing assignment differs),
/// and saying whether `dst` is updated in place or through a temporary when it is an operand.
template <executor_policy P, class T, class Axes, operand E>
LOOM_COLD std::string explain(const P& policy, const basic_tensor<T, Axes>& dst, const E& e) {
    decltype(auto) node = detail::node_ref(e);
    using N = std::remove_cvref_t<decltype(node)>;
    static_assert(detail::check_assign_axes<Axes, typename N::axes_type>());
    std::string out;
    if constexpr (requires { executor<P>::template plan<T>(policy, dst.shape(), node); })
        out = executor<P>::template plan<T>(policy, dst.shape(), node).to_string();
    else
        out = explain(policy, e);
    if (detail::needs_temporary(dst.view(), node))
        out += "destination overlaps an operand read at other points: evaluated into a "
               "temporary, then copied\n";
    else if (detail::overlaps(dst.view(), node))
        out += "destination updated in place (each element reads only itself)\n";
    return out;
}

/// explain() under the default policy.
template <operand E>
LOOM_COLD std::string explain(const E& e) {
    return explain(typename detail::default_policy<E>::type{}, e);
}

LOOM_END_NAMESPACE
