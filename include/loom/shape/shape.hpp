/// \file
/// \brief Extents by name: `shape<Axes>` holds one extent per axis, static or dynamic.
#pragma once

#include <loom/axes/axis_list.hpp>
#include <loom/shape/errors.hpp>

#include <string>

LOOM_BEGIN_NAMESPACE

namespace detail {

template <class Axes>
constexpr bool is_static_at(std::size_t k) {
    return static_extents_of<Axes>[k] != dynamic_extent;
}

// Checks an extent given for an axis (named for the message) whose static extent is `fixed`
// (or dynamic_extent). Not a template, so each shape type does not compile its own.
constexpr void check_given_extent(std::string_view axis, index_t fixed, index_t value) {
    if (value < 0) throw_negative_extent(axis, value);
    if (fixed != dynamic_extent && value != fixed) throw_static_extent(axis, fixed, value);
}

// Every name given must be an axis of `Axes`; each one that is not fails, naming it.
template <class Axes, class... Named>
constexpr bool check_named_values() {
    return (require_axis_of_tensor<contains_v<Named::name, Axes>, Named::name>() && ...);
}

template <class Axis, class... Named>
constexpr bool given_or_static() {
    return Axis::static_extent != dynamic_extent || ((Named::name == Axis::name) || ...);
}

template <class... Named>
constexpr bool names_distinct() {
    return unique_axes_v<axis_list<axis<Named::name>...>>;
}

}  // namespace detail

/// Extents of the axes in `Axes`, in that order. Static extents are filled in and checked.
/// Built from named values in any order: `shape<L>{b = 32, i = 256}`.
/// @tparam Axes an axis_list.
template <class Axes>
struct shape {
    using axes_type = Axes;                          ///< The axes, in order.
    static constexpr std::size_t rank = Axes::size;  ///< Number of axes.
    index_t extent[rank > 0 ? rank : 1]{};           ///< Extents in `Axes` order.

    /// All dynamic extents zero, static ones set.
    constexpr shape() noexcept { set_static(std::make_index_sequence<rank>{}); }

    /// Extents by name, in any order: `shape<L>{b = 32, i = 256}`. Static axes may be left
    /// out; a dynamic axis left out, or a name the shape lacks, fails to compile.
    template <named_integer... Named>
        requires(sizeof...(Named) > 0)
    constexpr explicit shape(Named... named) {
        if constexpr (detail::check_named_values<Axes, Named...>() &&
                      detail::names_distinct<Named...>()) {
            set_static(std::make_index_sequence<rank>{});
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                (void)(require_given<axis_at_t<Axes, K>, Named...>() && ...);
            }(std::make_index_sequence<rank>{});
            (set_named(named.name, static_cast<index_t>(named.value)), ...);
        }
    }

    /// The extent of the axis called `Name`.
    template <fixed_string Name>
    LOOM_HD constexpr index_t get() const {
        return extent[index_of_v<Name, Axes>];
    }
    /// The extent of axis `a`: `s[b]`.
    template <axis_tag A>
    LOOM_HD constexpr index_t operator[](A) const {
        constexpr auto Name = A::name;
        if constexpr (require_axis_of_tensor<contains_v<Name, Axes>, Name>()) return get<Name>();
        else return index_t{0};
    }
    /// Number of elements: the product of the extents.
    LOOM_HD constexpr index_t size() const {
        index_t n = 1;
        for (std::size_t k = 0; k != rank; ++k) n *= extent[k];
        return n;
    }
    /// Equal when every extent is.
    friend constexpr bool operator==(const shape& a, const shape& b) {
        for (std::size_t k = 0; k < rank; ++k)
            if (a.extent[k] != b.extent[k]) return false;
        return true;
    }
    /// `{batch: 32, in: 256}`, for messages and printing.
    std::string to_string() const {
        return detail::shape_text(detail::names_of<Axes>, extent, rank);
    }

    /// Sets the extent at position `k`, checking it (used by make_shape).
    constexpr void set(std::size_t k, index_t value) {
        detail::check_given_extent(detail::names_of<Axes>[k], detail::static_extents_of<Axes>[k],
                                   value);
        extent[k] = value;
    }

private:
    template <class Axis, class... Named>
    static constexpr bool require_given() {
        return require_value_for_axis<detail::given_or_static<Axis, Named...>(), Axis::name>();
    }
    template <std::size_t... K>
    constexpr void set_static(std::index_sequence<K...>) {
        ((axis_at_t<Axes, K>::static_extent != dynamic_extent
              ? void(extent[K] = axis_at_t<Axes, K>::static_extent)
              : void()), ...);
    }
private:
    template <class Name>
    constexpr void set_named(const Name& name, index_t value) {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((axis_at_t<Axes, K>::name == name ? set(K, value) : void()), ...);
        }(std::make_index_sequence<rank>{});
    }
};

/// One entry of a braced extent list such as `{b = 32, i = 256}` for a tensor or view with
/// axes `Axes`; a name that is not one of `Axes` fails to compile.
template <class Axes>
struct named_extent {
    std::size_t position;  ///< Position of the named axis in `Axes`.
    index_t value;         ///< The extent.

    /// Converts `axis = n`.
    template <named_integer N>
    constexpr named_extent(const N& n)  // NOLINT: implicit, for braced lists
        : position(index_of_v<N::name, Axes>), value(static_cast<index_t>(n.value)) {
        require_axis_of_tensor<contains_v<N::name, Axes>, N::name>();
    }
};

/// The shape given by a braced list of extents by name, `{b = 32, i = 256}`, in any order.
/// Throws shape_error when an axis without a static extent is missing or given twice.
template <class Axes, std::size_t N>
shape<Axes> make_shape(const named_extent<Axes> (&list)[N]) {
    shape<Axes> s;
    bool given[Axes::size > 0 ? Axes::size : 1] = {};
    for (const auto& e : list) {
        if (given[e.position]) detail::throw_extent_given_twice(detail::names_of<Axes>[e.position]);
        given[e.position] = true;
        s.set(e.position, e.value);
    }
    for (std::size_t k = 0; k < Axes::size; ++k)
        if (!given[k] && !detail::is_static_at<Axes>(k))
            detail::throw_extent_missing(detail::names_of<Axes>[k]);
    return s;
}

/// Strides of a dense layout in which the last axis of `Axes` is contiguous.
template <class Axes>
constexpr void contiguous_strides(const shape<Axes>& s, index_t* strides) {
    index_t step = 1;
    for (std::size_t k = Axes::size; k-- > 0;) {
        strides[k] = step;
        step *= s.extent[k];
    }
}

LOOM_END_NAMESPACE
