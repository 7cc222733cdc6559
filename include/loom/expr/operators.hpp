/// \file
/// \brief Arithmetic and comparison operators, math functions, `where` and `cast`, all
/// element-wise with broadcasting by name.
#pragma once

#include <loom/expr/functors.hpp>
#include <loom/expr/map.hpp>

LOOM_BEGIN_NAMESPACE

/// Two operands of which at least one is a tensor, view or expression (not two scalars).
template <class A, class B>
concept operand_pair = operand<A> && operand<B> &&
    !(std::is_arithmetic_v<std::remove_cvref_t<A>> && std::is_arithmetic_v<std::remove_cvref_t<B>>);

/// A tensor, view or expression (not a plain scalar).
template <class A>
concept tensor_operand = operand<A> && !std::is_arithmetic_v<std::remove_cvref_t<A>>;

/// Element-wise sum, broadcast by name.
template <class A, class B> requires operand_pair<A, B>
auto operator+(A&& a, B&& b) { return detail::map_same_type(fn::plus{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise difference, broadcast by name.
template <class A, class B> requires operand_pair<A, B>
auto operator-(A&& a, B&& b) { return detail::map_same_type(fn::minus{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise product, broadcast by name (not a matrix product: use sum(a * b, k)).
template <class A, class B> requires operand_pair<A, B>
auto operator*(A&& a, B&& b) { return detail::map_same_type(fn::multiplies{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise quotient, broadcast by name.
template <class A, class B> requires operand_pair<A, B>
auto operator/(A&& a, B&& b) { return detail::map_same_type(fn::divides{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise remainder of integers, broadcast by name.
template <class A, class B> requires operand_pair<A, B>
auto operator%(A&& a, B&& b) { return detail::map_same_type(fn::modulus{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise negation.
template <tensor_operand A>
auto operator-(A&& a) { return detail::map_same_type(fn::negate{}, std::forward<A>(a)); }

/// Element-wise `==`, a bool expression.
template <class A, class B> requires operand_pair<A, B>
auto operator==(A&& a, B&& b) { return detail::map_same_type(fn::equal_to{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise `!=`, a bool expression.
template <class A, class B> requires operand_pair<A, B>
auto operator!=(A&& a, B&& b) { return detail::map_same_type(fn::not_equal_to{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise `<`, a bool expression.
template <class A, class B> requires operand_pair<A, B>
auto operator<(A&& a, B&& b) { return detail::map_same_type(fn::less{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise `<=`, a bool expression.
template <class A, class B> requires operand_pair<A, B>
auto operator<=(A&& a, B&& b) { return detail::map_same_type(fn::less_equal{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise `>`, a bool expression.
template <class A, class B> requires operand_pair<A, B>
auto operator>(A&& a, B&& b) { return detail::map_same_type(fn::greater{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise `>=`, a bool expression.
template <class A, class B> requires operand_pair<A, B>
auto operator>=(A&& a, B&& b) { return detail::map_same_type(fn::greater_equal{}, std::forward<A>(a), std::forward<B>(b)); }

/// Element-wise larger of two operands (NaN propagates); `max(e, axis)` is the reduction.
template <class A, class B> requires operand_pair<A, B>
auto max(A&& a, B&& b) { return detail::map_same_type(fn::maximum{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise smaller of two operands (NaN propagates); `min(e, axis)` is the reduction.
template <class A, class B> requires operand_pair<A, B>
auto min(A&& a, B&& b) { return detail::map_same_type(fn::minimum{}, std::forward<A>(a), std::forward<B>(b)); }
/// Element-wise `a` raised to `b`.
template <class A, class B> requires operand_pair<A, B>
auto pow(A&& a, B&& b) { return detail::map_same_type(fn::power{}, std::forward<A>(a), std::forward<B>(b)); }

/// Element-wise choice: `a` where `cond` is true, else `b`; all three broadcast by name.
template <tensor_operand C, operand A, operand B>
auto where(C&& cond, A&& a, B&& b) {
    static_assert(std::is_same_v<typename expr_t<C>::value_type, bool>,
                  "loom: where() needs a bool condition, such as x > 0");
    using T = typename detail::common_element<A, B>::type;
    static_assert(detail::common_element<A, B>::ok);
    return map_node<fn::select, expr_t<C>, decltype(detail::as_typed_expr<T>(std::forward<A>(a))),
                    decltype(detail::as_typed_expr<T>(std::forward<B>(b)))>(
        fn::select{}, as_expr(std::forward<C>(cond)), detail::as_typed_expr<T>(std::forward<A>(a)),
        detail::as_typed_expr<T>(std::forward<B>(b)));
}

/// Element-wise conversion to `To`: the only way loom mixes element types.
template <class To, tensor_operand A>
auto cast(A&& a) {
    return map(fn::cast_to<To>{}, std::forward<A>(a));
}

/// Element-wise absolute value.
template <tensor_operand A> auto abs(A&& a) { return map(fn::absolute{}, std::forward<A>(a)); }
/// Element-wise e^x.
template <tensor_operand A> auto exp(A&& a) { return map(fn::exp{}, std::forward<A>(a)); }
/// Element-wise 2^x.
template <tensor_operand A> auto exp2(A&& a) { return map(fn::exp2{}, std::forward<A>(a)); }
/// Element-wise e^x - 1.
template <tensor_operand A> auto expm1(A&& a) { return map(fn::expm1{}, std::forward<A>(a)); }
/// Element-wise natural logarithm.
template <tensor_operand A> auto log(A&& a) { return map(fn::log{}, std::forward<A>(a)); }
/// Element-wise base-2 logarithm.
template <tensor_operand A> auto log2(A&& a) { return map(fn::log2{}, std::forward<A>(a)); }
/// Element-wise log(1 + x).
template <tensor_operand A> auto log1p(A&& a) { return map(fn::log1p{}, std::forward<A>(a)); }
/// Element-wise square root.
template <tensor_operand A> auto sqrt(A&& a) { return map(fn::sqrt{}, std::forward<A>(a)); }
/// Element-wise sine.
template <tensor_operand A> auto sin(A&& a) { return map(fn::sin{}, std::forward<A>(a)); }
/// Element-wise cosine.
template <tensor_operand A> auto cos(A&& a) { return map(fn::cos{}, std::forward<A>(a)); }
/// Element-wise tangent.
template <tensor_operand A> auto tan(A&& a) { return map(fn::tan{}, std::forward<A>(a)); }
/// Element-wise hyperbolic tangent.
template <tensor_operand A> auto tanh(A&& a) { return map(fn::tanh{}, std::forward<A>(a)); }
/// Element-wise error function.
template <tensor_operand A> auto erf(A&& a) { return map(fn::erf{}, std::forward<A>(a)); }
/// Element-wise floor.
template <tensor_operand A> auto floor(A&& a) { return map(fn::floor{}, std::forward<A>(a)); }
/// Element-wise ceiling.
template <tensor_operand A> auto ceil(A&& a) { return map(fn::ceil{}, std::forward<A>(a)); }
/// Element-wise rounding, halves away from zero.
template <tensor_operand A> auto round(A&& a) { return map(fn::round{}, std::forward<A>(a)); }

LOOM_END_NAMESPACE
