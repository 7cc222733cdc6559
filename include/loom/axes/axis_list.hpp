/// \file
/// \brief Ordered sets of axes as types, and their algebra (union, intersection, difference).
#pragma once

#include <loom/axes/axis.hpp>
#include <loom/axes/diagnostics.hpp>

#include <cstddef>
#include <string>
#include <string_view>

LOOM_BEGIN_NAMESPACE

/// An ordered list of distinct axes, each an `axis<Name, Extent>` type. For a tensor the order
/// is the memory order (last axis contiguous); for an expression it is only a canonical order.
template <class... Axes>
struct axis_list {
    static constexpr std::size_t size = sizeof...(Axes);  ///< Number of axes.
};

/// Position meaning "not in the list".
inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

namespace detail {

template <fixed_string Name, class... A>
constexpr std::size_t find_name(axis_list<A...>*) noexcept {
    std::size_t i = 0, found = npos;
    ((found == npos && A::name == Name ? found = i : ++i), ...);
    return found;
}

template <class L, class A>
struct push_back;
template <class... A, class B>
struct push_back<axis_list<A...>, B> {
    using type = axis_list<A..., B>;
};

template <class L, std::size_t I>
struct at_impl;
template <class A0, class... A>
struct at_impl<axis_list<A0, A...>, 0> {
    using type = A0;
};
template <class A0, class... A, std::size_t I>
struct at_impl<axis_list<A0, A...>, I> : at_impl<axis_list<A...>, I - 1> {};

}  // namespace detail

/// Position of the axis called `Name` in `List`, or `npos`.
template <fixed_string Name, class List>
inline constexpr std::size_t index_of_v = detail::find_name<Name>(static_cast<List*>(nullptr));

/// True when `List` has an axis called `Name`.
template <fixed_string Name, class List>
inline constexpr bool contains_v = index_of_v<Name, List> != npos;

/// The axis type at position `I` of `List`.
template <class List, std::size_t I>
using axis_at_t = typename detail::at_impl<List, I>::type;

/// The axis type called `Name` in `List` (the list must contain it).
template <fixed_string Name, class List>
using axis_named_t = axis_at_t<List, index_of_v<Name, List>>;

namespace detail {

// Merges the static extents of two declarations of one axis; conflicting ones are an error.
template <class A, class B>
struct merge_axis {
    static constexpr index_t e = A::static_extent == dynamic_extent ? B::static_extent
                                                                    : A::static_extent;
    static constexpr bool ok = A::static_extent == dynamic_extent ||
        B::static_extent == dynamic_extent || A::static_extent == B::static_extent;
    static_assert(ok || report<conflicting_static_extents<A::name, A::static_extent,
                                                          B::static_extent>>(),
                  "loom: one axis is declared with two different static extents");
    using type = axis<A::name, e>;
};

template <class Acc, class... B>
struct union_impl {
    using type = Acc;
};
template <class... A, class B0, class... B>
struct union_impl<axis_list<A...>, B0, B...> {
    static constexpr std::size_t pos = find_name<B0::name>(static_cast<axis_list<A...>*>(nullptr));
    template <class X>
    using merged = std::conditional_t<X::name == B0::name, typename merge_axis<X, B0>::type, X>;
    using next = std::conditional_t<pos == npos, axis_list<A..., B0>, axis_list<merged<A>...>>;
    using type = typename union_impl<next, B...>::type;
};

template <class L, class R>
struct union_list;
template <class L, class... B>
struct union_list<L, axis_list<B...>> : union_impl<L, B...> {};

template <class Acc, class Keep, class... A>
struct filter_impl {
    using type = Acc;
};
template <class Acc, class Keep, class A0, class... A>
struct filter_impl<Acc, Keep, A0, A...>
    : filter_impl<std::conditional_t<Keep::template test<A0>, typename push_back<Acc, A0>::type,
                                     Acc>,
                  Keep, A...> {};

template <class L, class Keep>
struct filter;
template <class... A, class Keep>
struct filter<axis_list<A...>, Keep> : filter_impl<axis_list<>, Keep, A...> {};

template <class R, bool In>
struct membership {
    template <class A>
    static constexpr bool test = (find_name<A::name>(static_cast<R*>(nullptr)) != npos) == In;
};

}  // namespace detail

/// Axes of `L` followed by the axes of `R` that `L` lacks (static extents are merged).
template <class L, class R>
using union_t = typename detail::union_list<L, R>::type;

/// Axes of `L` that `R` also names, in `L`'s order.
template <class L, class R>
using intersection_t = typename detail::filter<L, detail::membership<R, true>>::type;

/// Axes of `L` that `R` does not name, in `L`'s order.
template <class L, class R>
using difference_t = typename detail::filter<L, detail::membership<R, false>>::type;

/// True when every axis of `Sub` is named in `Super`.
template <class Sub, class Super>
inline constexpr bool subset_v = difference_t<Sub, Super>::size == 0;

/// True when `L` and `R` name the same axes, in any order.
template <class L, class R>
inline constexpr bool same_axes_v = subset_v<L, R> && subset_v<R, L>;

namespace detail {

// From is never deduced (nvcc cannot deduce a fixed_string): only the list is matched.
template <class L>
struct rename_impl;
template <class... A>
struct rename_impl<axis_list<A...>> {
    template <fixed_string From, class To>
    using type = axis_list<std::conditional_t<A::name == From, To, A>...>;
};

template <class L>
struct name_table;
template <class... A>
struct name_table<axis_list<A...>> {
    static constexpr std::string_view names[] = {A::name.view()..., ""};
};
// The axes' names in order: one array per axis list, read by non-template text helpers (text
// built inside every template instantiation was much of loom's compile time).
template <class L>
inline constexpr const std::string_view* names_of = name_table<L>::names;
template <class L>
struct static_extent_table;
template <class... A>
struct static_extent_table<axis_list<A...>> {
    static constexpr index_t extents[] = {A::static_extent..., dynamic_extent};
};
// The axes' static extents in order (dynamic_extent for a dynamic axis), as names_of.
template <class L>
inline constexpr const index_t* static_extents_of = static_extent_table<L>::extents;

// "{a, b}" for `rank` names.
LOOM_COLD inline std::string names_text(const std::string_view* names, std::size_t rank) {
    std::string s = "{";
    for (std::size_t k = 0; k < rank; ++k) {
        if (k) s += ", ";
        s += names[k];
    }
    return s + "}";
}

// The first name that occurs twice, reported through a type named after the problem.
template <class Seen, class... A>
struct first_duplicate {
    static constexpr bool check() { return true; }
};
template <class Seen, class A0, class... A>
struct first_duplicate<Seen, A0, A...> {
    static constexpr bool here = find_name<A0::name>(static_cast<Seen*>(nullptr)) != npos;
    static constexpr bool check() {
        if constexpr (here) {
            static_assert(report<axis_named_twice<A0::name>>(),
                          "loom: a tensor type or expression names the same axis twice; give "
                          "every axis of one tensor a distinct name (see axis_named_twice<...>)");
            return false;
        } else {
            return first_duplicate<typename push_back<Seen, A0>::type, A...>::check();
        }
    }
};

template <class L>
struct unique_check;
template <class... A>
struct unique_check<axis_list<A...>> {
    static constexpr bool value = first_duplicate<axis_list<>, A...>::check();
};
template <>
struct unique_check<axis_list<>> {
    static constexpr bool value = true;
};

}  // namespace detail

/// `L` with the axis called `From` replaced by the axis type `To` (same position).
template <class L, fixed_string From, class To>
using rename_t = typename detail::rename_impl<L>::template type<From, To>;

/// Checks that no axis name repeats in `L`; a repeat fails to compile naming the axis.
template <class L>
inline constexpr bool unique_axes_v = detail::unique_check<L>::value;

/// The names of `L` as text, e.g. `{batch, in}`, for messages and printing.
template <class L>
std::string axis_names() {
    return detail::names_text(detail::names_of<L>, L::size);
}

LOOM_END_NAMESPACE
