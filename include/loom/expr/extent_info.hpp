/// \file
/// \brief What an expression knows about the extent of one of its axes.
#pragma once

#include <loom/axes/fixed_string.hpp>
#include <loom/shape/errors.hpp>

#include <string>
#include <string_view>

LOOM_BEGIN_NAMESPACE

/// How sure an expression is of an axis's extent.
enum class extent_kind {
    unknown,  ///< Nothing is known (an axis introduced by an affine index, `ky` in `y + ky`).
    hint,     ///< A default that a destination's extent overrides (`y` in `x.at(y = y + 1)`).
    exact,    ///< Fixed by a tensor, a generator or a reduction; others must agree.
};

/// An axis's extent as an expression knows it.
struct extent_info {
    index_t value = dynamic_extent;         ///< The extent, when not unknown.
    extent_kind kind = extent_kind::unknown;  ///< How sure it is.

    /// An extent that every operand must agree with.
    static constexpr extent_info exact(index_t v) noexcept { return {v, extent_kind::exact}; }
    /// An extent to use when nothing better is known.
    static constexpr extent_info hint(index_t v) noexcept { return {v, extent_kind::hint}; }
};

namespace detail {

// Out of line, so that the checks that may throw stay small enough to inline.
[[noreturn]] inline void throw_extent_mismatch(std::string_view axis_name, index_t a, index_t b) {
    throw shape_error("loom: operands disagree on the extent of axis '" + std::string(axis_name) +
                      "': " + std::to_string(a) + " and " + std::to_string(b));
}

// Combines what two operands know; two exact extents must agree, naming the axis if not.
inline extent_info merge_extent(std::string_view axis_name, extent_info a, extent_info b) {
    if (a.kind == extent_kind::exact && b.kind == extent_kind::exact && a.value != b.value)
        [[unlikely]] throw_extent_mismatch(axis_name, a.value, b.value);
    return a.kind >= b.kind ? a : b;
}

[[noreturn]] inline void throw_undetermined_extent(std::string_view axis_name) {
    throw shape_error("loom: the extent of axis '" + std::string(axis_name) +
                      "' is not determined by the expression; assign into a tensor that "
                      "already has the extent");
}

// A destination axis's extent: the expression's exact one, else the destination's current
// one (when given), else the expression's hint, else the axis's static extent, which the
// result must also equal when there is one.
inline index_t resolve_extent(std::string_view axis_name, extent_info e, const index_t* current,
                              index_t static_extent) {
    index_t out;
    if (e.kind == extent_kind::exact) out = e.value;
    else if (current) out = *current;
    else if (e.kind == extent_kind::hint) out = e.value;
    else if (static_extent != dynamic_extent) out = static_extent;
    else throw_undetermined_extent(axis_name);
    if (static_extent != dynamic_extent && out != static_extent)
        throw_static_extent(axis_name, static_extent, out);
    return out;
}

}  // namespace detail

LOOM_END_NAMESPACE
