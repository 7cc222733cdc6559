/// \file
/// \brief Affine index expressions over axes, such as `y + ky` or `2 * x - 1`, used by
/// stencils and convolutions through `tensor.at(y = y + ky)`.
#pragma once

#include <loom/axes/axis_list.hpp>

#include <concepts>
#include <string>
#include <string_view>

LOOM_BEGIN_NAMESPACE

namespace detail {
// "2*y + ky - 1" for coefficients over `names` and a constant.
LOOM_COLD inline std::string affine_text(const index_t* coeff, const std::string_view* names,
                                         std::size_t rank, index_t offset) {
    std::string s;
    for (std::size_t k = 0; k < rank; ++k) {
        const index_t c = coeff[k];
        if (c == 0) continue;
        if (!s.empty()) s += c < 0 ? " - " : " + ";
        else if (c < 0) s += "-";
        const index_t m = c < 0 ? -c : c;
        if (m != 1) s += std::to_string(m) + "*";
        s += names[k];
    }
    if (offset != 0 || s.empty())
        s += s.empty() ? std::to_string(offset)
                       : (offset < 0 ? " - " : " + ") +
                             std::to_string(offset < 0 ? -offset : offset);
    return s;
}
}  // namespace detail

/// `offset + sum(coeff[k] * index of axis k)` over the axes in `Axes`.
/// @tparam Axes the axis_list of the axes it reads.
template <class Axes>
struct affine_index {
    static constexpr std::size_t rank = Axes::size;  ///< Number of axes read.
    index_t coeff[rank > 0 ? rank : 1]{};             ///< Coefficient per axis, in `Axes` order.
    index_t offset = 0;                               ///< Constant term.

    /// The index as text: `2*y + ky - 1`.
    LOOM_COLD std::string describe() const {
        return detail::affine_text(coeff, detail::names_of<Axes>, rank, offset);
    }
    /// The value at a point that names (at least) every axis in `Axes`.
    template <class Point>
    LOOM_HD constexpr index_t operator()(const Point& p) const {
        return eval(p, std::make_index_sequence<rank>{});
    }

private:
    template <class Point, std::size_t... K>
    LOOM_HD constexpr index_t eval(const Point& p, std::index_sequence<K...>) const {
        return (offset + ... + (coeff[K] * p.template get<axis_at_t<Axes, K>::name>()));
    }
};

/// True for affine_index types.
template <class T>
inline constexpr bool is_affine_v = false;
/// True for affine_index types.
template <class Axes>
inline constexpr bool is_affine_v<affine_index<Axes>> = true;

/// Satisfied by an axis tag or an affine index: whatever `y = ...` in `at()` may bind.
template <class T>
concept affine_like = axis_tag<T> || is_affine_v<std::remove_cvref_t<T>>;

namespace detail {

template <class A>
constexpr auto to_affine(A a) {
    if constexpr (is_affine_v<A>) {
        return a;
    } else {
        affine_index<axis_list<axis<A::name>>> r;
        r.coeff[0] = 1;
        return r;
    }
}

template <class L, class R>
constexpr auto add_affine(const affine_index<L>& l, const affine_index<R>& r, index_t sign) {
    using U = union_t<L, R>;
    affine_index<U> out;
    out.offset = l.offset + sign * r.offset;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((out.coeff[index_of_v<axis_at_t<L, K>::name, U>] += l.coeff[K]), ...);
    }(std::make_index_sequence<L::size>{});
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((out.coeff[index_of_v<axis_at_t<R, K>::name, U>] += sign * r.coeff[K]), ...);
    }(std::make_index_sequence<R::size>{});
    return out;
}

template <class A>
constexpr auto scale_affine(A a, index_t k) {
    auto r = to_affine(a);
    for (auto& c : r.coeff) c *= k;
    r.offset *= k;
    return r;
}

}  // namespace detail

/// Sum of two axes or affine indices: `y + ky`.
template <affine_like L, affine_like R>
constexpr auto operator+(L l, R r) {
    return detail::add_affine(detail::to_affine(l), detail::to_affine(r), 1);
}
/// Difference of two axes or affine indices: `y - ky`.
template <affine_like L, affine_like R>
constexpr auto operator-(L l, R r) {
    return detail::add_affine(detail::to_affine(l), detail::to_affine(r), -1);
}
/// Shift by a constant: `y + 1`.
template <affine_like L, std::integral I>
constexpr auto operator+(L l, I k) {
    auto r = detail::to_affine(l);
    r.offset += static_cast<index_t>(k);
    return r;
}
/// Shift by a constant: `y - 1`.
template <affine_like L, std::integral I>
constexpr auto operator-(L l, I k) {
    return l + (-static_cast<index_t>(k));
}
/// Shift by a constant: `1 + y`.
template <std::integral I, affine_like R>
constexpr auto operator+(I k, R r) {
    return r + k;
}
/// Difference of a constant and an axis: `(n - 1) - y` reverses y.
template <std::integral I, affine_like R>
constexpr auto operator-(I k, R r) {
    auto out = detail::scale_affine(r, -1);
    out.offset += static_cast<index_t>(k);
    return out;
}
/// Negation: `-y`.
template <affine_like R>
constexpr auto operator-(R r) {
    return detail::scale_affine(r, -1);
}
/// Scale by a constant, for strided access: `2 * x`.
template <std::integral I, affine_like R>
constexpr auto operator*(I k, R r) {
    return detail::scale_affine(r, static_cast<index_t>(k));
}
/// Scale by a constant, for strided access: `x * 2`.
template <affine_like L, std::integral I>
constexpr auto operator*(L l, I k) {
    return detail::scale_affine(l, static_cast<index_t>(k));
}

LOOM_END_NAMESPACE
