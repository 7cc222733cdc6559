/// \file
/// \brief A point in a named index space: the loop indices an expression is evaluated at.
#pragma once

#include <loom/axes/axis_list.hpp>

LOOM_BEGIN_NAMESPACE

/// One index per axis of `Axes`; read by name with `p[b]` or `p.get<"batch">()`.
/// Generator functions (`generate`, the generator constructor) receive one of these.
template <class Axes>
struct point {
    using axes_type = Axes;                           ///< The axes, in index order.
    static constexpr std::size_t rank = Axes::size;  ///< Number of axes.
    index_t index[rank > 0 ? rank : 1]{};            ///< Indices in `Axes` order.

    /// The index along the axis called `Name`; naming an absent axis fails to compile.
    template <fixed_string Name>
    LOOM_INLINE LOOM_HD constexpr index_t get() const {
        if constexpr (require_axis_of_tensor<contains_v<Name, Axes>, Name>())
            return index[index_of_v<Name, Axes>];
        else
            return index_t{0};
    }
    /// The index along axis `a`: `p[b]`.
    template <axis_tag A>
    LOOM_HD constexpr index_t operator[](A) const {
        constexpr auto Name = A::name;
        return get<Name>();
    }
};

LOOM_END_NAMESPACE
