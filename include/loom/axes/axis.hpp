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
    V value;                            ///< The bound value.
};

/// Tag object for the axis called `Name`; `Extent` fixes its size at compile time when given.
/// Write `constexpr loom::axis<"batch"> b;` once, then use `b` to name extents, indices,
/// reductions and slices: `x(b = 3)`, `sum(x, b)`.
/// @tparam Name the axis name. @tparam Extent a static extent or `dynamic_extent`.
template <fixed_string Name, index_t Extent = dynamic_extent>
struct axis {
    static constexpr auto name = Name;             ///< The axis name.
    static constexpr index_t static_extent = Extent;  ///< The static extent, or dynamic_extent.
    static_assert(Name.size() > 0, "loom: an axis name must not be empty");
    static_assert(Extent == dynamic_extent || Extent >= 0,
                  "loom: a static extent must be zero or positive");

    /// Binds a value to this axis name: `b = 3`, `y = y + ky`, `v = ids`.
    template <class V>
    constexpr named<Name, V> operator=(V&& value) const {  // NOLINT: returns a binding, not *this
        return {std::forward<V>(value)};
    }
};

/// True for the axis tag types.
template <class T>
inline constexpr bool is_axis_v = false;
/// True for the axis tag types.
template <fixed_string Name, index_t Extent>
inline constexpr bool is_axis_v<axis<Name, Extent>> = true;

/// Satisfied by axis tag types such as `loom::axis<"batch">`.
template <class T>
concept axis_tag = is_axis_v<std::remove_cvref_t<T>>;

/// True for named bindings `axis = value`.
template <class T>
inline constexpr bool is_named_v = false;
/// True for named bindings `axis = value`.
template <fixed_string Name, class V>
inline constexpr bool is_named_v<named<Name, V>> = true;

/// Satisfied by a named binding whose value is an integer: an extent or an index.
template <class T>
concept named_integer = is_named_v<std::remove_cvref_t<T>> &&
    std::is_integral_v<std::remove_cvref_t<decltype(std::declval<T>().value)>>;

LOOM_END_NAMESPACE
