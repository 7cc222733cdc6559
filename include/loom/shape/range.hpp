/// \file
/// \brief Index ranges for slicing a view along a named axis: `x.slice(b = range(0, 8))`.
#pragma once

#include <loom/config.hpp>

LOOM_BEGIN_NAMESPACE

/// The indices `start, start + step, ...` below `stop`; `step` must be positive.
struct range {
    index_t start = 0;  ///< First index.
    index_t stop = 0;   ///< One past the last index (clamped to the extent by slice()).
    index_t step = 1;   ///< Distance between indices.

    /// All indices from `start_` below `stop_`, every `step_`.
    constexpr range(index_t start_, index_t stop_, index_t step_ = 1) noexcept
        : start(start_), stop(stop_), step(step_) {}
};

LOOM_END_NAMESPACE
