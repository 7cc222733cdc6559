/// \file
/// \brief Declarations that let storage types hand expressions to the layers above them
/// without including those layers (the definitions come with <loom/loom.hpp>), and the
/// dispatch of an assignment into a newly allocated tensor.
#pragma once

#include <loom/config.hpp>

LOOM_BEGIN_NAMESPACE

template <class T, class Axes>
class basic_tensor_view;
template <class T, class Axes>
class basic_tensor;

/// Base of every expression node type; it marks them, and adds no state.
struct expr_base {};

/// Execution policy tags; see exec/policy.hpp, exec/simd.hpp and exec/par.hpp.
struct seq_policy;
struct simd_policy;
struct par_policy;

/// The executor for a policy; specialised by each backend (exec/seq.hpp for `seq`).
template <class Policy>
struct executor;

namespace detail {
// Entry points the expression layer defines; dependent on their arguments, so storage can
// name them before they exist. Including <loom/loom.hpp> makes them complete.
template <class... Args>
struct expr_hooks;

// Passed to an executor's assign when the destination was allocated for this assignment
// (`tensor t = e`): it cannot overlap an operand, and its extents were resolved from the
// expression, so neither needs checking (nor the code that checks compiling).
struct fresh_destination {};

// Evaluates `e` into the fresh `dst` with `policy`, telling the executor when it can use it.
template <class Policy, class View, class E>
void assign_fresh(const Policy& policy, const View& dst, const E& e) {
    if constexpr (requires { executor<Policy>::assign(policy, dst, e, fresh_destination{}); })
        executor<Policy>::assign(policy, dst, e, fresh_destination{});
    else
        executor<Policy>::assign(policy, dst, e);
}
}  // namespace detail

LOOM_END_NAMESPACE
