/// \file
/// \brief Visits every multi-index of a shape in row-major order (last axis fastest).
#pragma once

#include <loom/shape/point.hpp>
#include <loom/shape/shape.hpp>

LOOM_BEGIN_NAMESPACE
namespace detail {

// Calls f(point<Axes>) for every index of `s`; the storage layer's loops (fill, copy, print)
// use it. Expression evaluation has its own executors.
template <class Axes, class F>
void for_each_index(const shape<Axes>& s, F&& f) {
    constexpr std::size_t rank = Axes::size;
    if (s.size() == 0) return;
    point<Axes> p;
    for (;;) {
        f(static_cast<const point<Axes>&>(p));
        std::size_t k = rank;
        while (k > 0) {
            --k;
            if (++p.index[k] < s.extent[k]) break;
            p.index[k] = 0;
            if (k == 0) return;
        }
        if constexpr (rank == 0) return;
    }
}

// Offset of a point from per-axis strides listed in the same order as the point's axes.
template <class Axes>
LOOM_INLINE LOOM_HD constexpr index_t offset_of(const point<Axes>& p, const index_t* strides) {
    index_t off = 0;
    for (std::size_t k = 0; k != Axes::size; ++k) off += p.index[k] * strides[k];
    return off;
}

}  // namespace detail
LOOM_END_NAMESPACE
