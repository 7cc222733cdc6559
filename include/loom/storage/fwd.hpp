/// \file
/// \brief Declarations that let storage types hand expressions to the layers above them
/// without including those layers (the definitions come with <loom/loom.hpp>).
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
}  // namespace detail

LOOM_END_NAMESPACE
