// Element-wise expressions: every map-like node, scalars, broadcasting by name in every axis
// order, generate, rename, casts, the capture rule, aliasing and run-time errors. Each test
// compares with values computed here by plain loops or by hand.
#include "catch.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

using namespace loom;
using loom_test::run;
using loom_test::signature;
using loom_test::signed_tensor;

namespace {
constexpr axis<"a"> a;
constexpr axis<"b"> b;
constexpr axis<"c"> c;
constexpr axis<"d"> d;
using A = axis<"a">;
using B = axis<"b">;
using C = axis<"c">;
using D = axis<"d">;
// Distinct primes so that a swapped axis changes the shape.
const shape<axis_list<A, B, C, D>> all_extents{a = 2, b = 3, c = 5, d = 7};

// z = x * 2 + y over destination axes Dst, with x over X and y over Y (any orders).
template <class P, class Dst, class X, class Y>
void check_broadcast() {
    auto x = signed_tensor<double, X>(all_extents, 1.0);
    auto y = signed_tensor<double, Y>(all_extents, 0.01);
    loom::shape<Dst> s;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((s.extent[K] = all_extents.template get<axis_at_t<Dst, K>::name>()), ...);
    }(std::make_index_sequence<Dst::size>{});
    basic_tensor<double, Dst> z(s);
    run<P>(z, x * 2.0 + y);
    std::size_t wrong = 0;
    detail::for_each_index(s, [&](const point<Dst>& p) {
        const double expect = 2.0 * signature<X>(p, 1.0) + signature<Y>(p, 0.01);
        if (std::abs(z.view().data()[detail::offset_of(p, z.view().strides().data())] - expect) >
            1e-9)
            ++wrong;
    });
    INFO("destination " << axis_names<Dst>() << ", x " << axis_names<X>() << ", y "
                        << axis_names<Y>());
    CHECK(wrong == 0);
}
}  // namespace

TEMPLATE_LIST_TEST_CASE("broadcasting matches axes by name in every order", "[expr][broadcast]",
                        test_policies) {
    using P = TestType;
    // one axis
    check_broadcast<P, axis_list<A>, axis_list<A>, axis_list<>>();
    check_broadcast<P, axis_list<A>, axis_list<>, axis_list<A>>();
    // two axes: every destination order, operands in either order or a single axis
    check_broadcast<P, axis_list<A, B>, axis_list<A, B>, axis_list<B, A>>();
    check_broadcast<P, axis_list<B, A>, axis_list<A, B>, axis_list<A>>();
    check_broadcast<P, axis_list<A, B>, axis_list<B>, axis_list<A>>();
    check_broadcast<P, axis_list<B, A>, axis_list<A>, axis_list<B>>();
    // three axes: all six destination orders
    check_broadcast<P, axis_list<A, B, C>, axis_list<C, A>, axis_list<B>>();
    check_broadcast<P, axis_list<A, C, B>, axis_list<A, B>, axis_list<C, B>>();
    check_broadcast<P, axis_list<B, A, C>, axis_list<C, B, A>, axis_list<A>>();
    check_broadcast<P, axis_list<B, C, A>, axis_list<B>, axis_list<A, C>>();
    check_broadcast<P, axis_list<C, A, B>, axis_list<A, B, C>, axis_list<>>();
    check_broadcast<P, axis_list<C, B, A>, axis_list<C>, axis_list<B, A>>();
    // four axes: a spread of orders
    check_broadcast<P, axis_list<A, B, C, D>, axis_list<D, B>, axis_list<C, A>>();
    check_broadcast<P, axis_list<D, C, B, A>, axis_list<A, B, C, D>, axis_list<D>>();
    check_broadcast<P, axis_list<B, D, A, C>, axis_list<C, D>, axis_list<A, B, D>>();
    check_broadcast<P, axis_list<C, A, D, B>, axis_list<B, A>, axis_list<D, C>>();
    check_broadcast<P, axis_list<A, D, C, B>, axis_list<D, A, B, C>, axis_list<C, B, D, A>>();
}

TEMPLATE_LIST_TEST_CASE("arithmetic, comparisons and where match scalar code", "[expr][map]",
                        test_policies) {
    using P = TestType;
    tensor<float, "a"> x = {-2.5f, -1.0f, 0.0f, 0.5f, 3.0f};
    tensor<float, "a"> y = {1.0f, 2.0f, -4.0f, 0.25f, 3.0f};
    tensor<float, "a"> out({a = 5});
    tensor<bool, "a"> mask({a = 5});
    const std::vector<float> xs = {-2.5f, -1.0f, 0.0f, 0.5f, 3.0f};
    const std::vector<float> ys = {1.0f, 2.0f, -4.0f, 0.25f, 3.0f};

    auto each = [&](auto&& expr, auto&& ref) {
        run<P>(out, expr);
        for (index_t n = 0; n < 5; ++n) CHECK(out(a = n) == Approx(ref(xs[n], ys[n])));
    };
    each(x + y, [](float p, float q) { return p + q; });
    each(x - y, [](float p, float q) { return p - q; });
    each(x * y, [](float p, float q) { return p * q; });
    each(x / y, [](float p, float q) { return p / q; });
    each(-x, [](float p, float) { return -p; });
    each(x * 2 + 1, [](float p, float) { return p * 2 + 1; });      // int scalars adopt float
    each(1.5 - x, [](float p, float) { return 1.5f - p; });          // double scalar too
    each(loom::max(x, y), [](float p, float q) { return std::max(p, q); });
    each(loom::min(x, y), [](float p, float q) { return std::min(p, q); });
    each(loom::where(x > y, x, y * 10), [](float p, float q) { return p > q ? p : q * 10; });
    each(loom::where(x >= 0, x, 0), [](float p, float) { return p >= 0 ? p : 0.0f; });

    auto cmp = [&](auto&& expr, auto&& ref) {
        run<P>(mask, expr);
        for (index_t n = 0; n < 5; ++n) CHECK(mask(a = n) == ref(xs[n], ys[n]));
    };
    cmp(x < y, [](float p, float q) { return p < q; });
    cmp(x <= y, [](float p, float q) { return p <= q; });
    cmp(x > y, [](float p, float q) { return p > q; });
    cmp(x >= y, [](float p, float q) { return p >= q; });
    cmp(x == y, [](float p, float q) { return p == q; });
    cmp(x != y, [](float p, float q) { return p != q; });

    tensor<int, "a"> i = {7, -7, 9, 0, 5};
    tensor<int, "a"> r({a = 5});
    run<P>(r, i % 4);
    CHECK(r(a = 0) == 3);
    CHECK(r(a = 1) == -3);
    CHECK(r(a = 2) == 1);
}

TEMPLATE_LIST_TEST_CASE("math functions match the standard library", "[expr][map]",
                        test_policies) {
    using P = TestType;
    tensor<double, "a"> x = {0.1, 0.5, 1.0, 2.5, 7.0};
    tensor<double, "a"> out({a = 5});
    auto each = [&](auto&& expr, double (*ref)(double)) {
        run<P>(out, expr);
        for (index_t n = 0; n < 5; ++n) CHECK(out(a = n) == Approx(ref(x(a = n))).epsilon(1e-12));
    };
    each(loom::exp(x), [](double v) { return std::exp(v); });
    each(loom::exp2(x), [](double v) { return std::exp2(v); });
    each(loom::expm1(x), [](double v) { return std::expm1(v); });
    each(loom::log(x), [](double v) { return std::log(v); });
    each(loom::log2(x), [](double v) { return std::log2(v); });
    each(loom::log1p(x), [](double v) { return std::log1p(v); });
    each(loom::sqrt(x), [](double v) { return std::sqrt(v); });
    each(loom::sin(x), [](double v) { return std::sin(v); });
    each(loom::cos(x), [](double v) { return std::cos(v); });
    each(loom::tan(x), [](double v) { return std::tan(v); });
    each(loom::tanh(x), [](double v) { return std::tanh(v); });
    each(loom::erf(x), [](double v) { return std::erf(v); });
    each(loom::floor(x * 3), [](double v) { return std::floor(v * 3); });
    each(loom::ceil(x * 3), [](double v) { return std::ceil(v * 3); });
    each(loom::round(x * 3), [](double v) { return std::round(v * 3); });
    each(loom::abs(0.5 - x), [](double v) { return std::abs(0.5 - v); });
    each(loom::pow(x, 1.5), [](double v) { return std::pow(v, 1.5); });
    each(loom::relu(x - 1), [](double v) { return v > 1 ? v - 1 : 0.0; });
    each(loom::sigmoid(x), [](double v) { return 1 / (1 + std::exp(-v)); });
}

TEMPLATE_LIST_TEST_CASE("cast converts element types explicitly", "[expr][map]", test_policies) {
    using P = TestType;
    tensor<float, "a"> x = {1.7f, -1.7f, 2.0f};
    tensor<int, "a"> i({a = 3});
    run<P>(i, loom::cast<int>(x));
    CHECK(i(a = 0) == 1);
    CHECK(i(a = 1) == -1);
    tensor<double, "a"> dd({a = 3});
    run<P>(dd, loom::cast<double>(x) * 2.0);
    CHECK(dd(a = 2) == 4.0);
    tensor<float, "a"> f({a = 3});
    run<P>(f, loom::cast<float>(x > 0));
    CHECK(f(a = 0) == 1.0f);
    CHECK(f(a = 1) == 0.0f);
}

TEMPLATE_LIST_TEST_CASE("map applies user functions to broadcast operands", "[expr][map]",
                        test_policies) {
    using P = TestType;
    tensor<float, "a"> x = {1, 2, 3};
    tensor<float, "b"> y = {10, 20};
    tensor<float, "a", "b"> out({a = 3, b = 2});
    const float bias = 0.5f;
    run<P>(out, loom::map([bias](float p, float q) { return p * q + bias; }, x, y));
    for (index_t n = 0; n < 3; ++n)
        for (index_t m = 0; m < 2; ++m)
            CHECK(out(a = n, b = m) == float(n + 1) * float(10 * (m + 1)) + 0.5f);
    tensor<int, "a"> codes({a = 3});
    run<P>(codes, loom::map([](float p) { return int(p) * 3; }, x));  // result type from f
    CHECK(codes(a = 2) == 9);
    tensor<float, "b", "a"> three({b = 2, a = 3});
    run<P>(three, loom::map([](float p, float q, float r) { return p - q * r; }, x, y, 2.0f));
    CHECK(three(a = 1, b = 1) == 2.0f - 20.0f * 2.0f);
}

TEMPLATE_LIST_TEST_CASE("generate passes named indices to the function", "[expr][generate]",
                        test_policies) {
    using P = TestType;
    auto g = loom::generate(loom::extents(a = 3, b = 4),
                            [](const auto& p) { return float(p[a] * 10 + p[b]); });
    tensor<float, "b", "a"> out({a = 3, b = 4});
    run<P>(out, g);
    for (index_t n = 0; n < 3; ++n)
        for (index_t m = 0; m < 4; ++m) CHECK(out(a = n, b = m) == float(n * 10 + m));
    // generate broadcasts like any operand: an iota along c added to a tensor over {a, c}.
    tensor<float, "a", "c"> x({a = 2, c = 5}, 1.0f);
    auto iota = loom::generate(loom::extents(c = 5), [](const auto& p) { return float(p[c]); });
    tensor<float, "a", "c"> y = x + iota;
    CHECK(y(a = 1, c = 4) == 5.0f);
}

TEMPLATE_LIST_TEST_CASE("rename lets an operand's axis meet another name", "[expr][rename]",
                        test_policies) {
    using P = TestType;
    tensor<float, "a"> x = {1, 2, 3};
    // An outer product of x with itself: rename one copy's axis.
    tensor<float, "a", "b"> outer({a = 3, b = 3});
    run<P>(outer, x * loom::rename(x, a, b));
    for (index_t n = 0; n < 3; ++n)
        for (index_t m = 0; m < 3; ++m) CHECK(outer(a = n, b = m) == float((n + 1) * (m + 1)));
    // rename of an expression (not just a view)
    tensor<float, "b"> shifted({b = 3});
    run<P>(shifted, loom::rename(x + 1, a, b));
    CHECK(shifted(b = 2) == 4.0f);
}

TEMPLATE_LIST_TEST_CASE("views with strides, slices and transposes evaluate correctly",
                        "[expr][views]", test_policies) {
    using P = TestType;
    tensor<double, "a", "b"> x({a = 5, b = 7}, [](const auto& p) { return double(p[a] * 7 + p[b]); });
    // read through a transposed, strided slice; write into a strided slice of a bigger tensor
    auto xt = x.permute(b, a).slice(b = range(1, 7, 2), a = range(0, 5, 2));
    tensor<double, "a", "b"> big({a = 6, b = 6}, -1.0);
    auto dst = big.slice(a = range(1, 6, 2), b = range(0, 6, 2));
    run<P>(dst, xt * 2.0);
    for (index_t n = 0; n < 3; ++n)
        for (index_t m = 0; m < 3; ++m)
            CHECK(big(a = 1 + 2 * n, b = 2 * m) == 2.0 * double((2 * n) * 7 + 1 + 2 * m));
    CHECK(big(a = 0, b = 0) == -1.0);  // untouched outside the slice
    CHECK(big(a = 1, b = 1) == -1.0);
}

TEST_CASE("expressions own temporaries and reference named tensors", "[expr][capture]") {
    auto make = [] { return tensor<float, "a">{1, 2, 3}; };
    auto expr = make() * 2.0f + make();  // both tensors were temporaries: moved in
    {
        std::vector<float> clobber(1000, 99.0f);  // reuse freed memory if any was freed
        (void)clobber;
    }
    tensor<float, "a"> r = expr;  // evaluated later, after the temporaries' full expression
    CHECK(r(a = 0) == 3.0f);
    CHECK(r(a = 2) == 9.0f);

    tensor<float, "a"> named = {1, 1, 1};
    auto lazy = named + 1.0f;  // named tensors are referenced: later writes are seen
    named(a = 1) = 10.0f;
    tensor<float, "a"> seen = lazy;
    CHECK(seen(a = 1) == 11.0f);

    auto nested = loom::sum(make() * make(), a);  // temporaries inside a reduction
    tensor<float> total = nested;
    CHECK(total() == 14.0f);
    STATIC_REQUIRE(std::is_trivially_copyable_v<decltype(expr.bind())>);
    STATIC_REQUIRE(std::is_trivially_copyable_v<decltype(lazy)>);
}

TEMPLATE_LIST_TEST_CASE("assignment reads operands before overwriting them", "[expr][aliasing]",
                        test_policies) {
    using P = TestType;
    tensor<int, "a", "b"> x({a = 3, b = 3}, [](const auto& p) { return int(p[a] * 3 + p[b]); });
    run<P>(x, x.permute(b, a).rename(a, c).rename(b, a).rename(c, b));  // x = transpose(x)
    for (index_t n = 0; n < 3; ++n)
        for (index_t m = 0; m < 3; ++m) CHECK(x(a = n, b = m) == int(m * 3 + n));
    tensor<int, "a"> v = {1, 2, 3, 4, 5};
    auto tail = v.slice(a = range(1, 5));
    auto head = v.slice(a = range(0, 4));
    run<P>(tail, head + 0);  // shift right by one through overlapping views
    CHECK(v(a = 1) == 1);
    CHECK(v(a = 4) == 4);
}

TEMPLATE_LIST_TEST_CASE("an operand overlapping the destination gives the fresh-tensor result",
                        "[expr][aliasing]", test_policies) {
    using P = TestType;
    auto start = [] { return tensor<int, "a", "b">({a = 4, b = 5}, [](const auto& p) { return int(p[a] * 5 + p[b]); }); };
    auto old = [](index_t n, index_t m) { return int(n * 5 + m); };
    auto check = [&](const tensor<int, "a", "b">& x, auto&& want) {
        for (index_t n = 0; n < 4; ++n)
            for (index_t m = 0; m < 5; ++m) CHECK(x(a = n, b = m) == want(n, m));
    };
    {  // element-wise in x: updated in place, no temporary
        auto x = start();
        CHECK_THAT(loom::explain(loom::simd, x, x * 2 + x), Catch::Contains("updated in place"));
        run<P>(x, x * 2 + x);
        check(x, [&](index_t n, index_t m) { return 3 * old(n, m); });
    }
    {  // a reduction reads the whole row that is being overwritten
        auto x = start();
        CHECK_THAT(loom::explain(loom::simd, x, x - loom::max(x, b)), Catch::Contains("temporary, then copied"));
        run<P>(x, x - loom::max(x, b));
        check(x, [&](index_t n, index_t m) { return old(n, m) - old(n, 4); });
    }
    {  // a shifted read of itself
        auto x = start();
        run<P>(x, x.at(b = b + 1));
        check(x, [&](index_t n, index_t m) { return m < 4 ? old(n, m + 1) : 0; });
    }
    {  // a column of x broadcast against x
        auto x = start();
        run<P>(x, x + x.slice(b = 0));
        check(x, [&](index_t n, index_t m) { return old(n, m) + old(n, 0); });
    }
    {  // a reversed view of itself (negative stride)
        auto x = start();
        tensor_view<const int, "a", "b"> reversed(x.data() + 19, {a = 4, b = 5}, {-5, -1});
        run<P>(x, reversed * 1);
        check(x, [&](index_t n, index_t m) { return old(3 - n, 4 - m); });
    }
    {  // the destination is a strided view and the operand the same elements: in place
        auto x = start();
        auto every_other = x.slice(b = range(0, 5, 2));
        run<P>(every_other, every_other * every_other);
        check(x, [&](index_t n, index_t m) { return m % 2 == 0 ? old(n, m) * old(n, m) : old(n, m); });
    }
    {  // a strided destination whose row a reduction reads: a temporary, copied back strided
        auto x = start();
        auto every_other = x.slice(b = range(0, 5, 2));
        run<P>(every_other, every_other - loom::max(x, b));
        check(x, [&](index_t n, index_t m) { return m % 2 == 0 ? old(n, m) - old(n, 4) : old(n, m); });
    }
}

// A new tensor (construction, eval, a resize) skips the overlap and extent checks, which
// cannot fail there; what it still reads must be the old elements, and indices are checked.
TEMPLATE_LIST_TEST_CASE("a tensor resized from an expression that reads it gets the old values",
                        "[expr][aliasing]", test_policies) {
    using P = TestType;
    auto start = [] { return tensor<int, "a", "b">({a = 4, b = 5}, [](const auto& p) { return int(p[a] * 5 + p[b]); }); };
    auto old = [](index_t n, index_t m) { return int(n * 5 + m); };
    {  // x = transpose(x): {a: 4, b: 5} becomes {a: 5, b: 4}
        auto x = start();
        x.assign(P{}, x.permute(b, a).rename(a, c).rename(b, a).rename(c, b) * 1);
        REQUIRE(x.extent(a) == 5);
        REQUIRE(x.extent(b) == 4);
        for (index_t n = 0; n < 5; ++n)
            for (index_t m = 0; m < 4; ++m) CHECK(x(a = n, b = m) == old(m, n));
    }
    {  // a shifted slice of itself, one column narrower
        auto x = start();
        x.assign(P{}, x.slice(b = range(1, 5)) * 2 - x.slice(b = range(0, 4)));
        REQUIRE(x.extent(b) == 4);
        for (index_t n = 0; n < 4; ++n)
            for (index_t m = 0; m < 4; ++m) CHECK(x(a = n, b = m) == 2 * old(n, m + 1) - old(n, m));
    }
    {  // a new tensor and eval() still validate index tensors
        const auto x = start();
        const tensor<int, "c"> ids = {3, 0, 2}, bad = {3, 0, 4};
        const auto picked = loom::eval(P{}, x.at(a = ids));
        for (index_t n = 0; n < 3; ++n)
            for (index_t m = 0; m < 5; ++m) CHECK(picked(c = n, b = m) == old(ids(c = n), m));
        CHECK_THROWS_AS(loom::eval(P{}, x.at(a = bad)), loom::index_error);
        CHECK_THROWS_WITH(loom::eval(P{}, x.at(a = bad)), Catch::Contains("'a'") && Catch::Contains("4"));
        CHECK_THROWS_AS((tensor<int, "c", "b">(x.at(a = bad))), loom::index_error);
    }
}

TEMPLATE_LIST_TEST_CASE("extent mismatches throw before anything is written", "[expr][errors]",
                        test_policies) {
    using P = TestType;
    tensor<float, "batch", "f"> x({axis<"batch">{} = 32, axis<"f">{} = 4}, 1.0f);
    tensor<float, "batch"> y({axis<"batch">{} = 16}, 2.0f);
    CHECK_THROWS_AS(x + y, shape_error);
    CHECK_THROWS_WITH(x + y, Catch::Contains("'batch'") && Catch::Contains("32") &&
                                 Catch::Contains("16"));
    // A view never changes shape (a tensor would be resized to the expression's extents).
    tensor<float, "batch", "f"> dst({axis<"batch">{} = 8, axis<"f">{} = 4}, 7.0f);
    CHECK_THROWS_WITH(run<P>(dst.view(), x * 2.0f), Catch::Contains("'batch'") && Catch::Contains("8") &&
                                                 Catch::Contains("32"));
    CHECK(dst(axis<"batch">{} = 0, axis<"f">{} = 0) == 7.0f);  // untouched
}

TEST_CASE("tensor assignment takes the expression's extents; eval infers the axes", "[expr]") {
    tensor<float, "a"> x = {1, 2, 3, 4};
    tensor<float, "a"> y({a = 2});
    y = x * 3.0f;  // a tensor (unlike a view) is resized to the expression
    CHECK(y.extent(a) == 4);
    CHECK(y(a = 3) == 12.0f);
    auto z = loom::eval(loom::seq, x + loom::rename(x, a, b));
    STATIC_REQUIRE(std::is_same_v<decltype(z)::axes_type, axis_list<A, B>>);
    CHECK(z(a = 1, b = 3) == 6.0f);
    auto s = loom::eval(x);
    CHECK(s(a = 2) == 3.0f);
}

TEST_CASE("explain shows the loop nest in the user's axis names", "[expr][explain]") {
    tensor<float, "a", "b"> x({a = 2, b = 3});
    tensor<float, "b"> bias({b = 3});
    const std::string text = loom::explain(loom::sum(x * bias, b) + 1.0f);
    CHECK_THAT(text, Catch::Contains("for a in [0, 2)"));
    CHECK_THAT(text, Catch::Contains("sum("));
    CHECK_THAT(text, Catch::Contains("{b: 3}"));
}

TEMPLATE_LIST_TEST_CASE("signed integers wrap and integer division by zero gives zero",
                        "[expr][numerics]", test_policies) {
    using P = TestType;
    constexpr int top = std::numeric_limits<int>::max(), bottom = std::numeric_limits<int>::min();
    const std::vector<int> values = {top, top - 1, bottom, 7, -8, 0, 3, bottom + 1, 9};
    const std::vector<int> divisors = {0, -1, 2, 0, 3, -1, 1, -1, 2};
    const index_t n = index_t(values.size());  // more than a pack of ints
    tensor<int, "a"> v({a = n}, [&](const auto& p) { return values[std::size_t(p[a])]; });
    tensor<int, "a"> d({a = n}, [&](const auto& p) { return divisors[std::size_t(p[a])]; });
    // The reference: two's complement arithmetic done in unsigned.
    auto wrap = [](std::uint32_t u) { return static_cast<int>(u); };
    auto check = [&](const tensor<int, "a">& r, auto&& want) {
        for (index_t q = 0; q < n; ++q) CHECK(r(a = q) == want(values[std::size_t(q)], divisors[std::size_t(q)]));
    };
    tensor<int, "a"> r({a = n});
    run<P>(r, v + 1);
    check(r, [&](int x, int) { return wrap(std::uint32_t(x) + 1u); });
    run<P>(r, v * 3 - d);
    check(r, [&](int x, int y) { return wrap(std::uint32_t(x) * 3u - std::uint32_t(y)); });
    run<P>(r, -v);
    check(r, [&](int x, int) { return wrap(0u - std::uint32_t(x)); });
    run<P>(r, v / d);
    check(r, [&](int x, int y) { return y == 0 ? 0 : y == -1 ? wrap(0u - std::uint32_t(x)) : x / y; });
    run<P>(r, v % d);
    check(r, [&](int x, int y) { return y == 0 || y == -1 ? 0 : x % y; });
    tensor<int> total;
    run<P>(total, loom::sum(v, a));
    std::uint32_t s = 0;
    for (int x : values) s += std::uint32_t(x);
    CHECK(total() == wrap(s));
    run<P>(total, loom::prod(v, a));
    CHECK(total() == 0);  // one value is 0
    run<P>(total, loom::prod(v.slice(a = range(0, 2)), a));
    CHECK(total() == wrap(std::uint32_t(top) * std::uint32_t(top - 1)));
}
