// Random fuzz trees chosen at compile time: tree<T, S, D> is a recipe type drawn from seed S
// with depth at most D. Every node kind of the language appears; a kind that cannot apply to
// the child it drew (a reduction of a scalar, a rename when every axis is taken) falls back
// to tanh of the child.
#pragma once

#include "recipes.hpp"

#include <array>
#include <tuple>

namespace fuzz {

template <int Id>
using axis_by_id = std::tuple_element_t<std::size_t(Id), std::tuple<loom::axis<"i">, loom::axis<"j">,
                                                                     loom::axis<"k">, loom::axis<"l">>>;
using all_axes = loom::axis_list<axis_by_id<0>, axis_by_id<1>, axis_by_id<2>, axis_by_id<3>>;

// A random order of 0..N-1 from seed S.
template <std::size_t N>
constexpr std::array<std::size_t, N> shuffled(std::uint64_t s) {
    std::array<std::size_t, N> p{};
    for (std::size_t a = 0; a < N; ++a) p[a] = a;
    for (std::size_t a = N; a > 1; --a) {
        s = mix(s);
        const std::size_t b = std::size_t(s % a);
        const std::size_t t = p[a - 1];
        p[a - 1] = p[b];
        p[b] = t;
    }
    return p;
}

// `Axes` in a random order.
template <class Axes, std::uint64_t S, class = std::make_index_sequence<Axes::size>>
struct permuted;
template <class Axes, std::uint64_t S, std::size_t... K>
struct permuted<Axes, S, std::index_sequence<K...>> {
    static constexpr auto order = shuffled<sizeof...(K)>(S);
    using type = loom::axis_list<loom::axis_at_t<Axes, order[K]>...>;
};
template <class Axes, std::uint64_t S>
using permuted_t = typename permuted<Axes, S>::type;

// `Rank` distinct axes of i, j, k, l in a random order.
template <std::uint64_t S, std::size_t Rank, class = std::make_index_sequence<Rank>>
struct random_axes;
template <std::uint64_t S, std::size_t Rank, std::size_t... K>
struct random_axes<S, Rank, std::index_sequence<K...>> {
    static constexpr auto order = shuffled<4>(S);
    using type = loom::axis_list<axis_by_id<int(order[K])>...>;
};
template <std::uint64_t S, std::size_t Rank>
using random_axes_t = typename random_axes<S, Rank>::type;

// A rank for a leaf: mostly 1 to 3, rarely 0.
constexpr std::size_t leaf_rank(std::uint64_t s) {
    const auto r = s % 40;
    return r == 0 ? 0 : r < 12 ? 1 : r < 30 ? 2 : 3;
}

template <class T, std::uint64_t S>
using plain_leaf = as_leaf<leaf<T, random_axes_t<mix(S), leaf_rank(S >> 7)>, S>>;

// A leaf recipe: a view with a random layout, a tensor moved in, or generate().
template <class T, std::uint64_t S>
constexpr auto choose_leaf() {
    using axes = random_axes_t<mix(S), leaf_rank(S >> 7)>;
    constexpr auto kind = (S >> 13) % 10;
    if constexpr (kind == 7) return std::type_identity<as_leaf<owned_leaf<T, axes, S>>>{};
    else if constexpr (kind == 8) return std::type_identity<as_leaf<generated<T, axes, S>>>{};
    else return std::type_identity<plain_leaf<T, S>>{};
}

template <class T, std::uint64_t S, int D>
constexpr auto choose_node();

template <class T, std::uint64_t S, int D>
using tree = typename decltype(choose_node<T, S, D>())::type;

// Axis number (S >> shift) % size of `Axes`.
template <class Axes, std::uint64_t S, int Shift>
using some_axis = loom::axis_at_t<Axes, std::size_t((S >> Shift) % Axes::size)>;

template <class T, std::uint64_t S, int D>
constexpr auto choose_node() {
    if constexpr (D <= 0) {
        return choose_leaf<T, S>();
    } else {
        constexpr std::uint64_t c0 = child_seed(S, 0), c1 = child_seed(S, 1), c2 = child_seed(S, 2),
                                c3 = child_seed(S, 3);
        constexpr int shallower = (S >> 40) % 3 == 0 && D >= 2 ? D - 2 : D - 1;
        constexpr auto roll = S % 100;
        constexpr auto op = (S >> 8) % 64;
        using A = tree<T, c0, D - 1>;
        using fallback = unary<unary_op::tanh, A, S>;
        using CA = axes_t<A>;
        if constexpr (roll < 10) {
            return std::type_identity<unary<unary_op(op % int(unary_op::count)), A, S>>{};
        } else if constexpr (roll < 14) {
            if constexpr (CA::size == 0)
                return std::type_identity<fallback>{};
            else
                return std::type_identity<reused<reuse_form(op % int(reuse_form::count)), A,
                                                 some_axis<CA, S, 16>, S>>{};
        } else if constexpr (roll < 32) {
            return std::type_identity<binary<binary_op(op % int(binary_op::count)), A, tree<T, c1, shallower>, S>>{};
        } else if constexpr (roll < 38) {
            return std::type_identity<with_scalar<scalar_op(op % int(scalar_op::count)), A, S>>{};
        } else if constexpr (roll < 42) {
            return std::type_identity<select<plain_leaf<T, c2>, plain_leaf<T, c3>, A, tree<T, c1, shallower>, S>>{};
        } else if constexpr (roll < 60) {
            if constexpr (CA::size == 0) {
                return std::type_identity<fallback>{};
            } else {
                using X = some_axis<CA, S, 16>;
                using rest = loom::difference_t<CA, loom::axis_list<X>>;
                if constexpr (rest::size > 0 && (S >> 20) % 3 == 0)
                    return std::type_identity<reduction<reduction_op(op % int(reduction_op::count)), A,
                                                        loom::axis_list<X, some_axis<rest, S, 24>>, S>>{};
                else
                    return std::type_identity<reduction<reduction_op(op % int(reduction_op::count)), A,
                                                        loom::axis_list<X>, S>>{};
            }
        } else if constexpr (roll < 63) {
            using L = as_leaf<leaf<T, random_axes_t<c1, 1 + (S >> 16) % 3>, c1>>;
            return std::type_identity<arg_reduction<(S >> 20) % 2 == 0, L, some_axis<axes_t<L>, S, 24>, S>>{};
        } else if constexpr (roll < 67) {
            constexpr auto ids = shuffled<4>(c2);
            using X = axis_by_id<int(ids[0])>;
            using Kx = axis_by_id<int(ids[1])>;
            using Y = axis_by_id<int(ids[2])>;
            using LA = as_leaf<leaf<T, permuted_t<loom::axis_list<X, Kx>, c0>, c0>>;
            using LB = as_leaf<leaf<T, permuted_t<loom::axis_list<Kx, Y>, c1>, c1>>;
            return std::type_identity<contraction<LA, LB, Kx, S>>{};
        } else if constexpr (roll < 78) {
            if constexpr (CA::size == 0) {
                return std::type_identity<fallback>{};
            } else {
                using X = some_axis<CA, S, 16>;
                using absent = loom::difference_t<all_axes, CA>;
                constexpr auto form = shift_form(op % int(shift_form::count));
                constexpr bool needs_y = form == shift_form::stencil || form == shift_form::move;
                constexpr int boundary = int((S >> 20) % 3);
                if constexpr (needs_y && absent::size == 0) {
                    return std::type_identity<shift<shift_form::add, boundary, A, X, X, A, S>>{};
                } else if constexpr (needs_y) {
                    using Y = some_axis<absent, S, 24>;
                    using K = as_leaf<leaf<T, loom::axis_list<Y>, c1>>;
                    return std::type_identity<shift<form, boundary, A, X, Y, K, S>>{};
                } else {
                    return std::type_identity<shift<form, boundary, A, X, X, A, S>>{};
                }
            }
        } else if constexpr (roll < 85) {
            if constexpr (CA::size == 0) {
                return std::type_identity<fallback>{};
            } else {
                using X = some_axis<CA, S, 16>;
                using Ids = index_leaf<random_axes_t<c1, (S >> 20) % 3>, c1>;
                return std::type_identity<gather<int((S >> 24) % 4), A, X, Ids, S>>{};
            }
        } else if constexpr (roll < 91) {
            using absent = loom::difference_t<all_axes, CA>;
            if constexpr (CA::size == 0 || absent::size == 0)
                return std::type_identity<fallback>{};
            else
                return std::type_identity<renamed<A, some_axis<CA, S, 16>, some_axis<absent, S, 24>, S>>{};
        } else if constexpr (roll < 96) {
            return std::type_identity<shared<A, S>>{};
        } else {
            return choose_leaf<T, S>();
        }
    }
}

}  // namespace fuzz
