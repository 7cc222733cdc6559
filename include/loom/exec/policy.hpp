/// \file
/// \brief Execution policies: tags that choose the executor running an expression.
#pragma once

#include <loom/storage/fwd.hpp>

#include <concepts>

LOOM_BEGIN_NAMESPACE

/// The scalar reference policy: one element at a time, in the destination's memory order.
/// It is the oracle the other executors are tested against.
struct seq_policy {
    static constexpr const char* name = "seq";  ///< Name in explain() output.
};
/// The scalar reference policy: `y.assign(loom::seq, e)`, `loom::eval(loom::seq, e)`.
inline constexpr seq_policy seq{};

/// Satisfied by a policy tag: it has a name, and `executor<P>` implements it.
template <class P>
concept executor_policy = requires {
    { P::name } -> std::convertible_to<const char*>;
};

LOOM_END_NAMESPACE
