/// \file
/// \brief Exceptions for mistakes that are only known at run time.
#pragma once

#include <loom/config.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

LOOM_BEGIN_NAMESPACE

/// Extents that disagree, or a shape that an operation cannot take; the message names the axes.
class shape_error : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// An index outside an axis's extent; the message names the axis, the index and the extent.
class index_error : public std::out_of_range {
public:
    using std::out_of_range::out_of_range;
};

namespace detail {
// The messages are built here, once, rather than in every template that checks: the
// templates then carry a call, not the string code (much of loom's compile time otherwise).

[[noreturn]] inline void throw_negative_extent(std::string_view axis, index_t value) {
    throw shape_error("loom: axis '" + std::string(axis) + "' was given the negative extent " +
                      std::to_string(value));
}

[[noreturn]] inline void throw_static_extent(std::string_view axis, index_t fixed, index_t value) {
    throw shape_error("loom: axis '" + std::string(axis) + "' has the static extent " +
                      std::to_string(fixed) + " but was given " + std::to_string(value));
}

[[noreturn]] inline void throw_destination_extent(std::string_view axis, index_t dst,
                                                  index_t expr) {
    throw shape_error("loom: the destination's axis '" + std::string(axis) + "' has extent " +
                      std::to_string(dst) + " but the expression's has extent " +
                      std::to_string(expr));
}

[[noreturn]] inline void throw_extent_given_twice(std::string_view axis) {
    throw shape_error("loom: axis '" + std::string(axis) + "' was given two extents");
}

[[noreturn]] inline void throw_extent_missing(std::string_view axis) {
    throw shape_error("loom: axis '" + std::string(axis) + "' was given no extent");
}

[[noreturn]] inline void throw_index(std::string_view axis, index_t i, index_t extent) {
    throw index_error("loom: index " + std::to_string(i) + " is out of range for axis '" +
                      std::string(axis) + "' of extent " + std::to_string(extent));
}

// "{a: 2, b: 3}" for `rank` names and extents.
LOOM_COLD inline std::string shape_text(const std::string_view* names, const index_t* extents,
                                        std::size_t rank) {
    std::string s = "{";
    for (std::size_t k = 0; k < rank; ++k) {
        if (k) s += ", ";
        s += names[k];
        s += ": ";
        s += std::to_string(extents[k]);
    }
    return s + "}";
}
}  // namespace detail

LOOM_END_NAMESPACE
