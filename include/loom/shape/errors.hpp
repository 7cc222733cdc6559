/// \file
/// \brief Exceptions for mistakes that are only known at run time.
#pragma once

#include <loom/config.hpp>

#include <stdexcept>
#include <string>

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

LOOM_END_NAMESPACE
