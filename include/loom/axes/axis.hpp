/// \file
/// \brief Axis tags (`loom::axis<"batch">`) and named arguments (`b = 3`).
#pragma once

#include <loom/axes/fixed_string.hpp>
#include <loom/config.hpp>

#include <type_traits>
#include <utility>

LOOM_BEGIN_NAMESPACE

/// A value bound to an axis name, made by `axis = value`: an extent, an index, a range, an
/// affine index (`y = y + ky`) or an index tensor (`v = ids`), depending on where it is used.
/// @tparam Name the axis name. @tparam V the bound value's type (a reference for lvalue tensors).
template <fixed_string Name, class V>
struct named {
    static constexpr auto name = Name;  ///< The axis name.
    using loom_named_marker = void;     ///< Marks the type (see is_named_v).
    V value;                            ///< The bound value.
};

namespace detail {
// An axis name spelled as a pack of chars. Types that reach a CUDA kernel's template arguments
// hold names this way: nvcc's host stubs cannot spell a fixed_string (an array) value.
template <char... C>
struct axis_name {
    static constexpr char text[] = {C..., '\0'};
};
template <class Seq>
struct axis_name_of;
template <std::size_t... I>
struct axis_name_of<std::index_sequence<I...>> {
    template <fixed_string S>
    using type = axis_name<S.chars[I]...>;
};
template <fixed_string S>
using axis_name_t =
    typename axis_name_of<std::make_index_sequence<S.size()>>::template type<S>;
}  // namespace detail

/// The axis type behind `axis<"name", Extent>`; NameChars is a detail::axis_name.
template <class NameChars, index_t Extent>
struct basic_axis {
    static constexpr fixed_string name{NameChars::text};  ///< The axis name.
    static constexpr index_t static_extent = Extent;  ///< The static extent, or dynamic_extent.
    using loom_axis_marker = void;                 ///< Marks the type (see is_axis_v).
    static_assert(name.size() > 0, "loom: an axis name must not be empty");
    static_assert(Extent == dynamic_extent || Extent >= 0,
                  "loom: a static extent must be zero or positive");

    /// Binds a value to this axis name: `b = 3`, `y = y + ky`, `v = ids`.
    template <class V>
    constexpr named<name, V> operator=(V&& value) const {  // NOLINT: returns a binding, not *this
        return {std::forward<V>(value)};
    }
};

/// Tag object for the axis called `Name`; `Extent` fixes its size at compile time when given.
/// Write `constexpr loom::axis<"batch"> b;` once, then use `b` to name extents, indices,
/// reductions and slices: `x(b = 3)`, `sum(x, b)`.
/// @tparam Name the axis name. @tparam Extent a static extent or `dynamic_extent`.
template <fixed_string Name, index_t Extent = dynamic_extent>
using axis = basic_axis<detail::axis_name_t<Name>, Extent>;

/// True for the axis tag types.
// (No partial specialisation on axis<Name, Extent>: nvcc cannot deduce a fixed_string.)
template <class T>
inline constexpr bool is_axis_v = requires { typename T::loom_axis_marker; };

/// Satisfied by axis tag types such as `loom::axis<"batch">`.
template <class T>
concept axis_tag = is_axis_v<std::remove_cvref_t<T>>;

/// True for named bindings `axis = value`.
template <class T>
inline constexpr bool is_named_v = requires { typename T::loom_named_marker; };

/// Satisfied by a named binding whose value is an integer: an extent or an index.
template <class T>
concept named_integer = is_named_v<std::remove_cvref_t<T>> &&
    std::is_integral_v<std::remove_cvref_t<decltype(std::declval<T>().value)>>;

LOOM_END_NAMESPACE
