/// \file
/// \brief The element functions behind loom's operators and math functions. Each is a
/// trivially copyable host-device callable with a name for describe() and explain().
#pragma once

#include <loom/config.hpp>

#include <cmath>
#include <cstddef>
#include <type_traits>

LOOM_BEGIN_NAMESPACE

namespace detail::adl {
// Calls `select` found by argument-dependent lookup (a SIMD library's), away from fn::select.
template <class C, class T>
LOOM_HD T select_lanes(const C& c, const T& a, const T& b) {
    return select(c, a, b);
}
}  // namespace detail::adl

namespace detail {
// Signed integer arithmetic wraps (two's complement) instead of overflowing, which C++
// leaves undefined: computed in the unsigned type, converted back (modular since C++20).
// SIMD packs and floating point use the plain operators (packs of integers wrap anyway).
template <class T>
inline constexpr bool wraps = std::is_integral_v<T> && std::is_signed_v<T> && !std::is_same_v<T, bool>;
template <class T>
using unsigned_of = std::make_unsigned_t<std::conditional_t<wraps<T>, T, int>>;

// Integer division and remainder by zero give 0, and the one quotient that overflows
// (lowest / -1) wraps; C++ leaves both undefined.
template <class T>
LOOM_HD constexpr T safe_divide(T a, T b) {
    if (b == T(0)) return T(0);
    if constexpr (wraps<T>)
        if (b == T(-1)) return static_cast<T>(unsigned_of<T>(0) - static_cast<unsigned_of<T>>(a));
    return static_cast<T>(a / b);
}
template <class T>
LOOM_HD constexpr T safe_remainder(T a, T b) {
    if (b == T(0)) return T(0);
    if constexpr (wraps<T>)
        if (b == T(-1)) return T(0);
    return static_cast<T>(a % b);
}
// True for a SIMD pack of integers (a type with a value_type and a lane count).
template <class P>
constexpr bool is_integer_pack() {
    if constexpr (requires {
                      typename P::value_type;
                      P::size;
                  })
        return std::is_integral_v<typename P::value_type>;
    else
        return false;
}
template <class P>
inline constexpr bool integer_pack = is_integer_pack<P>();
}  // namespace detail

/// Element functions used by the operators; users may pass them to map() too.
namespace fn {

/// `a + b`.
struct plus {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "add";  ///< Name in descriptions.
    /// The sum, in the operands' type.
    template <class T>
    LOOM_HD constexpr T operator()(T a, T b) const {
        using U = detail::unsigned_of<T>;
        if constexpr (detail::wraps<T>) return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
        else return static_cast<T>(a + b);
    }
};
/// `a - b`.
struct minus {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "sub";  ///< Name in descriptions.
    /// The difference, in the operands' type.
    template <class T>
    LOOM_HD constexpr T operator()(T a, T b) const {
        using U = detail::unsigned_of<T>;
        if constexpr (detail::wraps<T>) return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
        else return static_cast<T>(a - b);
    }
};
/// `a * b`.
struct multiplies {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "mul";  ///< Name in descriptions.
    /// The product, in the operands' type.
    template <class T>
    LOOM_HD constexpr T operator()(T a, T b) const {
        using U = detail::unsigned_of<T>;
        if constexpr (detail::wraps<T>) {
            return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
        } else if constexpr (detail::integer_pack<T>) {  // xsimd may multiply lanes as int
            typename T::value_type x[T::size], y[T::size];
            a.store_unaligned(x);
            b.store_unaligned(y);
            for (std::size_t k = 0; k < T::size; ++k) x[k] = (*this)(x[k], y[k]);
            return T::load_unaligned(x);
        } else {
            return static_cast<T>(a * b);
        }
    }
};
/// `a / b`.
struct divides {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "div";  ///< Name in descriptions.
    /// The quotient, in the operands' type.
    template <class T>
    LOOM_HD constexpr T operator()(T a, T b) const {
        if constexpr (std::is_integral_v<T>) {
            return detail::safe_divide(a, b);
        } else if constexpr (detail::integer_pack<T>) {  // lane by lane, with the same rules
            typename T::value_type x[T::size], y[T::size];
            a.store_unaligned(x);
            b.store_unaligned(y);
            for (std::size_t k = 0; k < T::size; ++k) x[k] = detail::safe_divide(x[k], y[k]);
            return T::load_unaligned(x);
        } else {
            return static_cast<T>(a / b);
        }
    }
};
/// `a % b` for integers.
struct modulus {
    static constexpr const char* name = "mod";  ///< Name in descriptions.
    /// The remainder, in the operands' type.
    template <class T>
    LOOM_HD constexpr T operator()(T a, T b) const { return detail::safe_remainder(a, b); }
};
/// `-a`.
struct negate {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "neg";  ///< Name in descriptions.
    /// The negation, in the operand's type.
    template <class T>
    LOOM_HD constexpr T operator()(T a) const {
        using U = detail::unsigned_of<T>;
        if constexpr (detail::wraps<T>) return static_cast<T>(U(0) - static_cast<U>(a));
        else return static_cast<T>(-a);
    }
};
/// `a == b`.
struct equal_to {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "eq";  ///< Name in descriptions.
    /// The comparison.
    template <class T>
    LOOM_HD constexpr auto operator()(T a, T b) const { return a == b; }
};
/// `a != b`.
struct not_equal_to {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "ne";  ///< Name in descriptions.
    /// The comparison.
    template <class T>
    LOOM_HD constexpr auto operator()(T a, T b) const {
        if constexpr (std::is_arithmetic_v<T>) return a != b;
        else return !(a == b);  // xsimd 8's AVX and AVX-512 `!=` is false when a lane is NaN
    }
};
/// `a < b`.
struct less {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "lt";  ///< Name in descriptions.
    /// The comparison.
    template <class T>
    LOOM_HD constexpr auto operator()(T a, T b) const { return a < b; }
};
/// `a <= b`.
struct less_equal {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "le";  ///< Name in descriptions.
    /// The comparison.
    template <class T>
    LOOM_HD constexpr auto operator()(T a, T b) const { return a <= b; }
};
/// `a > b`.
struct greater {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "gt";  ///< Name in descriptions.
    /// The comparison.
    template <class T>
    LOOM_HD constexpr auto operator()(T a, T b) const { return a > b; }
};
/// `a >= b`.
struct greater_equal {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "ge";  ///< Name in descriptions.
    /// The comparison.
    template <class T>
    LOOM_HD constexpr auto operator()(T a, T b) const { return a >= b; }
};
/// `c ? a : b`.
struct select {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "where";  ///< Name in descriptions.
    /// `a` where `c` holds, else `b`.
    template <class C, class T>
    LOOM_HD constexpr T operator()(C c, T a, T b) const {
        if constexpr (std::is_same_v<C, bool>) return c ? a : b;
        else return detail::adl::select_lanes(c, a, b);  // a SIMD mask
    }
};
/// `static_cast<To>(a)`.
template <class To>
struct cast_to {
    static constexpr const char* name = "cast";  ///< Name in descriptions.
    /// The converted value.
    template <class T>
    LOOM_HD constexpr To operator()(T a) const { return static_cast<To>(a); }
};
/// The larger of `a` and `b`; NaN if either is NaN.
struct maximum {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "maximum";  ///< Name in descriptions.
    /// The larger operand.
    template <class T>
    LOOM_HD constexpr T operator()(T a, T b) const {
        if constexpr (std::is_arithmetic_v<T>) return (a != a || a > b) ? a : b;
        else {
            const auto a_is_nan = !(a == a);  // not a != a: see not_equal_to
            return detail::adl::select_lanes(a_is_nan | (a > b), a, b);
        }
    }
};
/// The smaller of `a` and `b`; NaN if either is NaN.
struct minimum {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "minimum";  ///< Name in descriptions.
    /// The smaller operand.
    template <class T>
    LOOM_HD constexpr T operator()(T a, T b) const {
        if constexpr (std::is_arithmetic_v<T>) return (a != a || a < b) ? a : b;
        else {
            const auto a_is_nan = !(a == a);  // not a != a: see not_equal_to
            return detail::adl::select_lanes(a_is_nan | (a < b), a, b);
        }
    }
};
/// `a` raised to `b`.
struct power {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "pow";  ///< Name in descriptions.
    /// `std::pow(a, b)` in the operands' type.
    template <class T>
    LOOM_HD T operator()(T a, T b) const {
        using std::pow;
        return static_cast<T>(pow(a, b));
    }
};
/// The absolute value.
struct absolute {
    static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "abs";  ///< Name in descriptions.
    /// `|a|` in the operand's type.
    template <class T>
    LOOM_HD T operator()(T a) const {
        if constexpr (std::is_arithmetic_v<T>) {
            return a < T(0) ? static_cast<T>(-a) : a;
        } else {
            using std::abs;
            return abs(a);
        }
    }
};

/// `e` raised to `a`.
struct exp { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "exp";  ///< Name in descriptions.
    /// std::exp.
    template <class T> LOOM_HD T operator()(T a) const { using std::exp; return exp(a); } };
/// 2 raised to `a`.
struct exp2 { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "exp2";  ///< Name in descriptions.
    /// std::exp2.
    template <class T> LOOM_HD T operator()(T a) const { using std::exp2; return exp2(a); } };
/// `exp(a) - 1`, accurate near 0.
struct expm1 { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "expm1";  ///< Name in descriptions.
    /// std::expm1.
    template <class T> LOOM_HD T operator()(T a) const { using std::expm1; return expm1(a); } };
/// Natural logarithm.
struct log { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "log";  ///< Name in descriptions.
    /// std::log.
    template <class T> LOOM_HD T operator()(T a) const { using std::log; return log(a); } };
/// Base-2 logarithm.
struct log2 { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "log2";  ///< Name in descriptions.
    /// std::log2.
    template <class T> LOOM_HD T operator()(T a) const { using std::log2; return log2(a); } };
/// `log(1 + a)`, accurate near 0.
struct log1p { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "log1p";  ///< Name in descriptions.
    /// std::log1p.
    template <class T> LOOM_HD T operator()(T a) const { using std::log1p; return log1p(a); } };
/// Square root.
struct sqrt { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "sqrt";  ///< Name in descriptions.
    /// std::sqrt.
    template <class T> LOOM_HD T operator()(T a) const { using std::sqrt; return sqrt(a); } };
/// Sine.
struct sin { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "sin";  ///< Name in descriptions.
    /// std::sin.
    template <class T> LOOM_HD T operator()(T a) const { using std::sin; return sin(a); } };
/// Cosine.
struct cos { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "cos";  ///< Name in descriptions.
    /// std::cos.
    template <class T> LOOM_HD T operator()(T a) const { using std::cos; return cos(a); } };
/// Tangent.
struct tan { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "tan";  ///< Name in descriptions.
    /// std::tan.
    template <class T> LOOM_HD T operator()(T a) const { using std::tan; return tan(a); } };
/// Hyperbolic tangent.
struct tanh { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "tanh";  ///< Name in descriptions.
    /// std::tanh.
    template <class T> LOOM_HD T operator()(T a) const { using std::tanh; return tanh(a); } };
/// Error function.
struct erf { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "erf";  ///< Name in descriptions.
    /// std::erf.
    template <class T> LOOM_HD T operator()(T a) const { using std::erf; return erf(a); } };
/// Largest integer not above `a`.
struct floor { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "floor";  ///< Name in descriptions.
    /// std::floor.
    template <class T> LOOM_HD T operator()(T a) const { using std::floor; return floor(a); } };
/// Smallest integer not below `a`.
struct ceil { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "ceil";  ///< Name in descriptions.
    /// std::ceil.
    template <class T> LOOM_HD T operator()(T a) const { using std::ceil; return ceil(a); } };
/// Nearest integer, halves away from zero.
struct round { static constexpr bool simd = true;  ///< Works on SIMD packs.
    static constexpr const char* name = "round";  ///< Name in descriptions.
    /// std::round.
    template <class T> LOOM_HD T operator()(T a) const { using std::round; return round(a); } };

}  // namespace fn

LOOM_END_NAMESPACE
