// Catch2 v2 (Debian's 2.13) or v3, whichever was found; tests use only what both have.
#pragma once
#if __has_include(<catch2/catch_all.hpp>)
#include <catch2/catch_all.hpp>
#else
#include <catch2/catch.hpp>
#endif

#include <loom/loom.hpp>

#include <tuple>

// Every expression test runs under each policy in this list; later executors join it and
// are compared with seq, the reference.
using test_policies = std::tuple<loom::seq_policy, loom::simd_policy, loom::par_policy>;

namespace loom_test {

// Evaluates `e` into `dst` with policy P (the way every test runs an expression).
template <class P, class Dst, class E>
void run(Dst&& dst, const E& e) {
    dst.assign(P{}, e);
}

// A value that identifies an element by its named indices: sum of (index + 1) * weight,
// with a different weight per axis name, so a transposed or misplaced read shows.
template <class Axes, class Point>
double signature(const Point& p, double scale) {
    double v = 0;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((v += scale * double(p.template get<loom::axis_at_t<Axes, K>::name>() + 1) *
               double(loom::axis_at_t<Axes, K>::name.chars[0])), ...);
    }(std::make_index_sequence<Axes::size>{});
    return v;
}

// A tensor with axes `Axes` (in that memory order) filled with signature values.
template <class T, class Axes, class Shape>
loom::basic_tensor<T, Axes> signed_tensor(const Shape& extents_by_name, double scale) {
    loom::shape<Axes> s;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((s.extent[K] = extents_by_name.template get<loom::axis_at_t<Axes, K>::name>()), ...);
    }(std::make_index_sequence<Axes::size>{});
    return loom::basic_tensor<T, Axes>(
        s, [&](const loom::point<Axes>& p) { return T(signature<Axes>(p, scale)); });
}

}  // namespace loom_test
