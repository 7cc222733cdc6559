/// \file
/// \brief Reducers: how a reduction starts, takes one value and finishes. The reduction node
/// is generic; sum, max, logsumexp and argmax differ only in their reducer.
#pragma once

#include <loom/config.hpp>
#include <loom/expr/functors.hpp>

#include <cmath>
#include <limits>
#include <type_traits>

LOOM_BEGIN_NAMESPACE

/// Reducers: each has `value_type` (input), `state_type`, `result_type`, `init()`,
/// `step(state&, value, position)` and `finish(state, count)`; all host-device.
namespace reducer {

/// Sum; a bool input counts the true values.
template <class T>
struct sum {
    static constexpr const char* name = "sum";  ///< Name in descriptions.
    using value_type = T;                       ///< Input type.
    using result_type = std::conditional_t<std::is_same_v<T, bool>, index_t, T>;  ///< Output.
    using state_type = result_type;             ///< Running sum.
    /// Zero.
    LOOM_HD constexpr state_type init() const { return state_type(0); }
    /// Adds `x`.
    LOOM_HD constexpr void step(state_type& s, T x, index_t) const {
        s = fn::plus{}(s, static_cast<state_type>(x));  // wraps for signed integers
    }
    /// The sum.
    LOOM_HD constexpr result_type finish(state_type s, index_t) const { return s; }
};

/// Product.
template <class T>
struct prod {
    static constexpr const char* name = "prod";  ///< Name in descriptions.
    using value_type = T;                        ///< Input type.
    using result_type = T;                       ///< Output type.
    using state_type = T;                        ///< Running product.
    /// One.
    LOOM_HD constexpr state_type init() const { return T(1); }
    /// Multiplies by `x`.
    LOOM_HD constexpr void step(state_type& s, T x, index_t) const { s = fn::multiplies{}(s, x); }
    /// The product.
    LOOM_HD constexpr result_type finish(state_type s, index_t) const { return s; }
};

/// The lowest value of `T` (-inf for floating point): the maximum of nothing.
template <class T>
LOOM_HD constexpr T lowest() {
    if constexpr (std::numeric_limits<T>::has_infinity) return -std::numeric_limits<T>::infinity();
    else return std::numeric_limits<T>::lowest();
}
/// The highest value of `T` (+inf for floating point): the minimum of nothing.
template <class T>
LOOM_HD constexpr T highest() {
    if constexpr (std::numeric_limits<T>::has_infinity) return std::numeric_limits<T>::infinity();
    else return std::numeric_limits<T>::max();
}

/// Maximum; NaN if any input is NaN; -inf (or the lowest value) over nothing.
template <class T>
struct max {
    static constexpr const char* name = "max";  ///< Name in descriptions.
    using value_type = T;                       ///< Input type.
    using result_type = T;                      ///< Output type.
    using state_type = T;                       ///< Running maximum.
    /// The lowest value.
    LOOM_HD constexpr state_type init() const { return lowest<T>(); }
    /// Keeps the larger; a NaN, once seen, stays.
    LOOM_HD constexpr void step(state_type& s, T x, index_t) const {
        if (x > s || x != x) s = (s != s) ? s : x;
    }
    /// The maximum.
    LOOM_HD constexpr result_type finish(state_type s, index_t) const { return s; }
};

/// Minimum; NaN if any input is NaN; +inf (or the highest value) over nothing.
template <class T>
struct min {
    static constexpr const char* name = "min";  ///< Name in descriptions.
    using value_type = T;                       ///< Input type.
    using result_type = T;                      ///< Output type.
    using state_type = T;                       ///< Running minimum.
    /// The highest value.
    LOOM_HD constexpr state_type init() const { return highest<T>(); }
    /// Keeps the smaller; a NaN, once seen, stays.
    LOOM_HD constexpr void step(state_type& s, T x, index_t) const {
        if (x < s || x != x) s = (s != s) ? s : x;
    }
    /// The minimum.
    LOOM_HD constexpr result_type finish(state_type s, index_t) const { return s; }
};

/// Arithmetic mean; integer inputs give a double; NaN over nothing.
template <class T>
struct mean {
    static constexpr const char* name = "mean";  ///< Name in descriptions.
    using value_type = T;                        ///< Input type.
    using result_type = std::conditional_t<std::is_floating_point_v<T>, T, double>;  ///< Output.
    using state_type = result_type;              ///< Running sum.
    /// Zero.
    LOOM_HD constexpr state_type init() const { return state_type(0); }
    /// Adds `x`.
    LOOM_HD constexpr void step(state_type& s, T x, index_t) const { s += static_cast<state_type>(x); }
    /// The sum divided by the count.
    LOOM_HD constexpr result_type finish(state_type s, index_t n) const {
        return s / static_cast<result_type>(n);
    }
};

/// Running state of logsumexp: the maximum so far and the sum of exp(x - max).
template <class T>
struct lse_state {
    T max;  ///< Largest input so far.
    T sum;  ///< Sum of exp(x - max) over the inputs so far.
};

/// `log(sum(exp(x)))`, computed in one pass with a running maximum so it never overflows.
template <class T>
struct logsumexp {
    static_assert(std::is_floating_point_v<T>, "loom: logsumexp needs a floating-point input");
    static constexpr const char* name = "logsumexp";  ///< Name in descriptions.
    using value_type = T;                             ///< Input type.
    using result_type = T;                            ///< Output type.
    using state_type = lse_state<T>;                  ///< Running maximum and scaled sum.
    /// Nothing seen: max -inf, sum 0.
    LOOM_HD constexpr state_type init() const { return {lowest<T>(), T(0)}; }
    /// Adds exp(x), rescaling the sum when the maximum grows.
    LOOM_HD void step(state_type& s, T x, index_t) const {
        if (x != x || s.max != s.max) {
            s.max = x != x ? x : s.max;
        } else if (x > s.max) {
            s.sum = s.sum * std::exp(s.max - x) + T(1);
            s.max = x;
        } else if (x != lowest<T>()) {
            s.sum += std::exp(x - s.max);
        }
    }
    /// max + log(sum); -inf over nothing or over -inf inputs only.
    LOOM_HD result_type finish(state_type s, index_t) const {
        if (s.max != s.max || s.max == lowest<T>() || s.max == highest<T>()) return s.max;
        return s.max + std::log(s.sum);
    }
};

/// Running state of argmax: the best value and its position.
template <class T>
struct arg_state {
    T best;         ///< Best value so far.
    index_t index;  ///< Its position along the reduced axis.
};

/// Position of the maximum along one axis: the first one on ties; the first NaN if any.
template <class T>
struct argmax {
    static constexpr const char* name = "argmax";  ///< Name in descriptions.
    using value_type = T;                          ///< Input type.
    using result_type = index_t;                   ///< Output: an index.
    using state_type = arg_state<T>;               ///< Best value and position.
    /// No position yet.
    LOOM_HD constexpr state_type init() const { return {lowest<T>(), -1}; }
    /// Keeps the first maximum (or the first NaN).
    LOOM_HD constexpr void step(state_type& s, T x, index_t i) const {
        if (s.best != s.best) return;
        if (s.index < 0 || x > s.best || x != x) s = {x, i};
    }
    /// The position.
    LOOM_HD constexpr result_type finish(state_type s, index_t) const { return s.index; }
};

/// Position of the minimum along one axis: the first one on ties; the first NaN if any.
template <class T>
struct argmin {
    static constexpr const char* name = "argmin";  ///< Name in descriptions.
    using value_type = T;                          ///< Input type.
    using result_type = index_t;                   ///< Output: an index.
    using state_type = arg_state<T>;               ///< Best value and position.
    /// No position yet.
    LOOM_HD constexpr state_type init() const { return {highest<T>(), -1}; }
    /// Keeps the first minimum (or the first NaN).
    LOOM_HD constexpr void step(state_type& s, T x, index_t i) const {
        if (s.best != s.best) return;
        if (s.index < 0 || x < s.best || x != x) s = {x, i};
    }
    /// The position.
    LOOM_HD constexpr result_type finish(state_type s, index_t) const { return s.index; }
};

/// A user reduction: starts from `init`, folds with `combine(state, value)`.
template <class T, class S, class Combine>
struct custom {
    static constexpr const char* name = "reduce";  ///< Name in descriptions.
    using value_type = T;                          ///< Input type.
    using result_type = S;                         ///< Output type: the init's type.
    using state_type = S;                          ///< Running value.
    S initial;                                     ///< The starting value.
    Combine combine;                               ///< The fold function.
    /// The starting value.
    LOOM_HD constexpr state_type init() const { return initial; }
    /// `s = combine(s, x)`.
    LOOM_HD constexpr void step(state_type& s, T x, index_t) const {
        s = static_cast<S>(combine(s, x));
    }
    /// The folded value.
    LOOM_HD constexpr result_type finish(state_type s, index_t) const { return s; }
};

}  // namespace reducer

LOOM_END_NAMESPACE
