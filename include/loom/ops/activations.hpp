/// \file
/// \brief Activation functions and softmax, written only with loom's public language.
#pragma once

#include <loom/expr/operators.hpp>
#include <loom/expr/reduce.hpp>

LOOM_BEGIN_NAMESPACE

/// `max(x, 0)` element-wise.
template <tensor_operand E>
auto relu(E&& e) {
    using T = typename expr_t<E>::value_type;
    return max(std::forward<E>(e), T(0));
}

/// `1 / (1 + exp(-x))` element-wise.
template <tensor_operand E>
auto sigmoid(E&& e) {
    using T = typename expr_t<E>::value_type;
    return T(1) / (T(1) + exp(-std::forward<E>(e)));
}

/// Softmax along axis `a`: `exp(x - max(x, a)) / sum(exp(x - max(x, a)), a)`. The
/// reference executor recomputes the inner reductions per element; the planner hoists them.
template <tensor_operand E, axis_tag A>
auto softmax(const E& e, A a) {
    auto shifted = exp(e - max(e, a));
    return shifted / sum(shifted, a);
}

LOOM_END_NAMESPACE
