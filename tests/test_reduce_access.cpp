// Reductions (each built-in, several axes, a user combine), contractions against a
// hand-written matmul, affine access with each boundary policy, and gathers; each compared
// with plain loops written here.
#include "catch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

using namespace loom;
using loom_test::run;

namespace {
constexpr axis<"a"> a;
constexpr axis<"b"> b;
constexpr axis<"c"> c;
constexpr axis<"i"> i;
constexpr axis<"j"> j;
constexpr axis<"k"> k;
constexpr axis<"y"> y;
constexpr axis<"x"> x;
constexpr axis<"ky"> ky;
constexpr axis<"kx"> kx;
constexpr axis<"v"> v;
constexpr axis<"d"> d;
constexpr axis<"t"> t;

double value_at(index_t p, index_t q, index_t r) { return std::sin(double(p * 31 + q * 7 + r)); }

tensor<double, "a", "b", "c"> cube() {
    return tensor<double, "a", "b", "c">(
        {a = 3, b = 5, c = 4}, [](const auto& p) { return value_at(p[a], p[b], p[c]); });
}
}  // namespace

TEMPLATE_LIST_TEST_CASE("sum over each axis and several at once matches loops", "[reduce]",
                        test_policies) {
    using P = TestType;
    const auto xs = cube();
    tensor<double, "b", "c"> over_a({b = 5, c = 4});
    run<P>(over_a, loom::sum(xs, a));
    tensor<double, "c", "a"> over_b({a = 3, c = 4});  // destination in another order
    run<P>(over_b, loom::sum(xs, b));
    tensor<double, "a", "b"> over_c({a = 3, b = 5});
    run<P>(over_c, loom::sum(xs, c));
    tensor<double, "b"> over_ac({b = 5});
    run<P>(over_ac, loom::sum(xs, c, a));
    tensor<double> total;
    run<P>(total, loom::sum(xs));
    double all = 0;
    for (index_t q = 0; q < 5; ++q) {
        double ac = 0;
        for (index_t p = 0; p < 3; ++p)
            for (index_t r = 0; r < 4; ++r) ac += value_at(p, q, r);
        CHECK(over_ac(b = q) == Approx(ac));
        all += ac;
    }
    CHECK(total() == Approx(all));
    for (index_t p = 0; p < 3; ++p)
        for (index_t q = 0; q < 5; ++q)
            for (index_t r = 0; r < 4; ++r) {
                double sa = 0, sb = 0, sc = 0;
                for (index_t n = 0; n < 3; ++n) sa += value_at(n, q, r);
                for (index_t n = 0; n < 5; ++n) sb += value_at(p, n, r);
                for (index_t n = 0; n < 4; ++n) sc += value_at(p, q, n);
                CHECK(over_a(b = q, c = r) == Approx(sa));
                CHECK(over_b(a = p, c = r) == Approx(sb));
                CHECK(over_c(a = p, b = q) == Approx(sc));
            }
}

TEMPLATE_LIST_TEST_CASE("prod, max, min, mean, logsumexp, argmax and argmin", "[reduce]",
                        test_policies) {
    using P = TestType;
    const auto xs = cube();
    tensor<double, "a", "c"> r({a = 3, c = 4});
    tensor<index_t, "a", "c"> idx({a = 3, c = 4});
    auto over_b = [&](auto&& fold, double init) {
        std::vector<double> out;
        for (index_t p = 0; p < 3; ++p)
            for (index_t q = 0; q < 4; ++q) {
                double s = init;
                for (index_t n = 0; n < 5; ++n) s = fold(s, value_at(p, n, q));
                out.push_back(s);
            }
        return out;
    };
    auto compare = [&](const std::vector<double>& ref) {
        for (index_t p = 0; p < 3; ++p)
            for (index_t q = 0; q < 4; ++q) CHECK(r(a = p, c = q) == Approx(ref[std::size_t(p * 4 + q)]));
    };
    run<P>(r, loom::prod(xs, b));
    compare(over_b([](double s, double e) { return s * e; }, 1.0));
    run<P>(r, loom::max(xs, b));
    compare(over_b([](double s, double e) { return std::max(s, e); }, -1e300));
    run<P>(r, loom::min(xs, b));
    compare(over_b([](double s, double e) { return std::min(s, e); }, 1e300));
    run<P>(r, loom::mean(xs, b));
    auto sums = over_b([](double s, double e) { return s + e; }, 0.0);
    for (auto& s : sums) s /= 5;
    compare(sums);
    run<P>(r, loom::logsumexp(xs, b));
    auto lse = over_b([](double s, double e) { return s + std::exp(e); }, 0.0);
    for (auto& s : lse) s = std::log(s);
    compare(lse);

    run<P>(idx, loom::argmax(xs, b));
    for (index_t p = 0; p < 3; ++p)
        for (index_t q = 0; q < 4; ++q) {
            index_t best = 0, worst = 0;
            for (index_t n = 1; n < 5; ++n) {
                if (value_at(p, n, q) > value_at(p, best, q)) best = n;
                if (value_at(p, n, q) < value_at(p, worst, q)) worst = n;
            }
            CHECK(idx(a = p, c = q) == best);
            tensor<index_t, "a", "c"> mins({a = 3, c = 4});
            run<P>(mins, loom::argmin(xs, b));
            CHECK(mins(a = p, c = q) == worst);
        }
}

TEMPLATE_LIST_TEST_CASE("long rows reduce to their max, min and sum with a NaN in any lane",
                        "[reduce][numerics]", test_policies) {
    // Rows long enough for packs of every width, the lanes folded into one value: a NaN
    // anywhere in the row must reach the result, whatever lane and pack it lies in.
    using P = TestType;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (index_t n : {37, 64, 131}) {
        INFO("n = " << n);
        tensor<float, "a"> x({a = n}, [n](const auto& p) { return float((p[a] * 37) % n) - 20.5f; });
        tensor<float> r;
        float want_max = -INFINITY, want_min = INFINITY;
        double want_sum = 0;
        for (index_t k = 0; k < n; ++k) {
            want_max = std::max(want_max, x(a = k));
            want_min = std::min(want_min, x(a = k));
            want_sum += x(a = k);
        }
        run<P>(r, loom::max(x, a));
        CHECK(r() == want_max);
        run<P>(r, loom::min(x, a));
        CHECK(r() == want_min);
        run<P>(r, loom::sum(x, a));
        CHECK(r() == Approx(want_sum));
        for (index_t k = 0; k < n; ++k) {
            INFO("NaN at " << k);
            const float saved = x(a = k);
            x(a = k) = nan;
            run<P>(r, loom::max(x, a));
            CHECK(std::isnan(r()));
            run<P>(r, loom::min(x, a));
            CHECK(std::isnan(r()));
            x(a = k) = saved;
        }
    }
}

TEMPLATE_LIST_TEST_CASE("reductions define empty axes, ties, NaN and large inputs",
                        "[reduce][numerics]", test_policies) {
    using P = TestType;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    tensor<double, "a"> empty({a = 0});
    tensor<double> r;
    run<P>(r, loom::sum(empty, a));
    CHECK(r() == 0.0);
    run<P>(r, loom::prod(empty, a));
    CHECK(r() == 1.0);
    run<P>(r, loom::max(empty, a));
    CHECK(r() == -inf);
    run<P>(r, loom::logsumexp(empty, a));
    CHECK(r() == -inf);

    tensor<double, "a"> ties = {1.0, 3.0, 3.0, 2.0};
    tensor<index_t> where_max;
    run<P>(where_max, loom::argmax(ties, a));
    CHECK(where_max() == 1);  // the first of equal maxima

    tensor<double, "a"> with_nan = {1.0, nan, 5.0};
    run<P>(r, loom::max(with_nan, a));
    CHECK(std::isnan(r()));
    run<P>(r, loom::sum(with_nan, a));
    CHECK(std::isnan(r()));
    run<P>(where_max, loom::argmax(with_nan, a));
    CHECK(where_max() == 1);

    tensor<double, "a"> huge = {1e4, 1e4 - 1, 1e4 - 2};  // exp would overflow
    run<P>(r, loom::logsumexp(huge, a));
    CHECK(r() == Approx(1e4 + std::log(1 + std::exp(-1.0) + std::exp(-2.0))));
    tensor<double, "a"> tiny = {-1e4, -1e4 - 1};  // exp would underflow to 0
    run<P>(r, loom::logsumexp(tiny, a));
    CHECK(r() == Approx(-1e4 + std::log(1 + std::exp(-1.0))));

    tensor<bool, "a"> flags = {true, false, true, true};
    tensor<index_t> count;
    run<P>(count, loom::sum(flags, a));  // a bool sum counts
    CHECK(count() == 3);
    tensor<int, "a"> ints = {1, 2, 4};
    tensor<double> avg;
    run<P>(avg, loom::mean(ints, a));  // an integer mean is a double
    CHECK(avg() == Approx(7.0 / 3.0));
}

TEMPLATE_LIST_TEST_CASE("reduce() folds with a user combine over named axes", "[reduce]",
                        test_policies) {
    using P = TestType;
    const auto xs = cube();
    tensor<double, "b"> r({b = 5});
    run<P>(r, loom::reduce(xs, a, c, 0.0, [](double s, double e) { return s + e * e; }));
    for (index_t q = 0; q < 5; ++q) {
        double s = 0;
        for (index_t p = 0; p < 3; ++p)
            for (index_t n = 0; n < 4; ++n) s += value_at(p, q, n) * value_at(p, q, n);
        CHECK(r(b = q) == Approx(s));
    }
    tensor<int, "a"> bits = {1, 4, 16};
    tensor<int> any;
    run<P>(any, loom::reduce(bits, a, 0, [](int s, int e) { return s | e; }));
    CHECK(any() == 21);
}

TEMPLATE_LIST_TEST_CASE("a contraction equals a hand-written matmul", "[reduce][contraction]",
                        test_policies) {
    using P = TestType;
    const index_t m = 7, n = 5, kk = 6;  // not multiples of anything
    tensor<double, "i", "k"> lhs({i = m, k = kk}, [](const auto& p) { return double(p[i] + 2 * p[k]) * 0.25; });
    tensor<double, "j", "k"> rhs({j = n, k = kk}, [](const auto& p) { return double(p[j] * p[k]) - 1.0; });
    std::vector<double> ref(std::size_t(m * n), 0.0);
    for (index_t p = 0; p < m; ++p)
        for (index_t q = 0; q < n; ++q)
            for (index_t r = 0; r < kk; ++r)
                ref[std::size_t(p * n + q)] += lhs(i = p, k = r) * rhs(j = q, k = r);
    tensor<double, "i", "j"> out({i = m, j = n});
    run<P>(out, loom::sum(lhs * rhs, k));
    for (index_t p = 0; p < m; ++p)
        for (index_t q = 0; q < n; ++q) CHECK(out(i = p, j = q) == Approx(ref[std::size_t(p * n + q)]));
    // The same through a transposed view of rhs, into a transposed destination, with a
    // fused epilogue: nothing of the product is materialised.
    tensor<double, "k", "j"> rhs_t = rhs;
    tensor<double, "j", "i"> out_t({i = m, j = n});
    run<P>(out_t, loom::sum(lhs * rhs_t.permute(j, k), k) * 2.0 + 1.0);
    for (index_t p = 0; p < m; ++p)
        for (index_t q = 0; q < n; ++q)
            CHECK(out_t(i = p, j = q) == Approx(ref[std::size_t(p * n + q)] * 2.0 + 1.0));
}

TEMPLATE_LIST_TEST_CASE("softmax hoists nothing yet but is exact", "[reduce][softmax]",
                        test_policies) {
    using P = TestType;
    tensor<double, "a", "b"> xs({a = 3, b = 4}, [](const auto& p) { return double(p[a] - p[b]) * 0.7; });
    tensor<double, "a", "b"> out({a = 3, b = 4});
    run<P>(out, loom::softmax(xs, b));
    for (index_t p = 0; p < 3; ++p) {
        double mx = -1e300, s = 0;
        for (index_t q = 0; q < 4; ++q) mx = std::max(mx, xs(a = p, b = q));
        for (index_t q = 0; q < 4; ++q) s += std::exp(xs(a = p, b = q) - mx);
        for (index_t q = 0; q < 4; ++q) CHECK(out(a = p, b = q) == Approx(std::exp(xs(a = p, b = q) - mx) / s));
    }
}

TEMPLATE_LIST_TEST_CASE("reduction extents must be known and agree", "[reduce][errors]",
                        test_policies) {
    tensor<float, "y"> img({y = 4});
    // ky appears only in an affine index: nothing says how far to reduce.
    CHECK_THROWS_WITH(loom::sum(img.at(y = y + ky), ky), Catch::Contains("'ky'"));
    tensor<float, "a", "b"> p({a = 2, b = 3});
    tensor<float, "b"> q({b = 4});
    CHECK_THROWS_WITH(loom::sum(p * q, b), Catch::Contains("'b'") && Catch::Contains("3") &&
                                               Catch::Contains("4"));
}

namespace {
// A plain 2-D correlation with a 3x3 kernel centred on (y, x), padding as the boundary says.
template <class Read>
double stencil_ref(index_t yy, index_t xx, const tensor<double, "ky", "kx">& w, Read read) {
    double s = 0;
    for (index_t p = 0; p < 3; ++p)
        for (index_t q = 0; q < 3; ++q) s += read(yy + p - 1, xx + q - 1) * w(ky = p, kx = q);
    return s;
}
}  // namespace

TEMPLATE_LIST_TEST_CASE("affine access implements stencils with each boundary policy",
                        "[access][stencil]", test_policies) {
    using P = TestType;
    const index_t H = 5, W = 7;
    tensor<double, "y", "x"> img({y = H, x = W}, [](const auto& p) { return double(p[y] * 10 + p[x]); });
    tensor<double, "ky", "kx"> w({ky = 3, kx = 3}, [](const auto& p) { return double(1 + p[ky] * 3 + p[kx]); });
    tensor<double, "y", "x"> out({y = H, x = W});
    auto read = [&](auto fix) {
        return [&, fix](index_t yy, index_t xx) {
            index_t a1 = yy, b1 = xx;
            if (!fix(a1, H) || !fix(b1, W)) return 0.0;
            return img(y = a1, x = b1);
        };
    };
    auto zero_fix = [](index_t& n, index_t e) { return n >= 0 && n < e; };
    auto clamp_fix = [](index_t& n, index_t e) { n = std::clamp<index_t>(n, 0, e - 1); return true; };
    auto wrap_fix = [](index_t& n, index_t e) { n = ((n % e) + e) % e; return true; };

    auto check = [&](auto fix) {
        for (index_t p = 0; p < H; ++p)
            for (index_t q = 0; q < W; ++q)
                CHECK(out(y = p, x = q) == Approx(stencil_ref(p, q, w, read(fix))));
    };
    run<P>(out, loom::sum(img.at(y = y + ky - 1, x = x + kx - 1) * w, ky, kx));  // zero default
    check(zero_fix);
    run<P>(out, loom::sum(img.at(loom::zero, y = y + ky - 1, x = x + kx - 1) * w, ky, kx));
    check(zero_fix);
    run<P>(out, loom::sum(img.at(loom::clamp, y = y + ky - 1, x = x + kx - 1) * w, ky, kx));
    check(clamp_fix);
    run<P>(out, loom::sum(img.at(loom::wrap, y = y + ky - 1, x = x + kx - 1) * w, ky, kx));
    check(wrap_fix);

    // A "valid" strided convolution into a pre-sized destination: out(y) = sum img(2y + ky) w(ky)
    tensor<double, "ky"> w1 = {1.0, -2.0, 0.5};
    tensor<double, "y", "x"> strided({y = 2, x = W});
    run<P>(strided, loom::sum(img.at(y = 2 * y + ky) * w1, ky));
    for (index_t p = 0; p < 2; ++p)
        for (index_t q = 0; q < W; ++q)
            CHECK(strided(y = p, x = q) == Approx(img(y = 2 * p, x = q) - 2.0 * img(y = 2 * p + 1, x = q) +
                                                  0.5 * img(y = 2 * p + 2, x = q)));
    // A shift with no reduction: the destination's extent comes from the hint (the source's).
    tensor<double, "y", "x"> shifted = img.at(loom::clamp, y = y + 1);
    CHECK(shifted.extent(y) == H);
    CHECK(shifted(y = 0, x = 3) == img(y = 1, x = 3));
    CHECK(shifted(y = H - 1, x = 3) == img(y = H - 1, x = 3));
}

TEMPLATE_LIST_TEST_CASE("gathers read rows chosen by an index tensor", "[access][gather]",
                        test_policies) {
    using P = TestType;
    tensor<float, "v", "d"> table({v = 5, d = 3}, [](const auto& p) { return float(p[v] * 100 + p[d]); });
    tensor<int, "t"> ids = {4, 0, 2, 2};
    tensor<float, "t", "d"> out({t = 4, d = 3});
    run<P>(out, table.at(v = ids));
    const int expect_rows[] = {4, 0, 2, 2};
    for (index_t p = 0; p < 4; ++p)
        for (index_t q = 0; q < 3; ++q) CHECK(out(t = p, d = q) == float(expect_rows[p] * 100 + q));
    // index expressions work too, and so do boundary policies
    run<P>(out, table.at(loom::wrap, v = ids + 3));  // 7, 3, 5, 5 wrap to 2, 3, 0, 0
    CHECK(out(t = 0, d = 1) == 201.0f);
    CHECK(out(t = 2, d = 0) == 0.0f);
    run<P>(out, table.at(loom::zero, v = ids + 3));
    CHECK(out(t = 0, d = 1) == 0.0f);
    CHECK(out(t = 1, d = 1) == 301.0f);
    // out of range by default: index_error naming the axis, before anything is written
    tensor<int, "t"> bad = {1, 5, 0, 0};
    out.fill(-1.0f);
    CHECK_THROWS_AS(run<P>(out, table.at(v = bad)), index_error);
    CHECK_THROWS_WITH(run<P>(out, table.at(v = bad)), Catch::Contains("'v'") && Catch::Contains("5"));
    CHECK(out(t = 0, d = 0) == -1.0f);
}

TEMPLATE_LIST_TEST_CASE("a reduction broadcast back over its own axis restarts at index 0",
                        "[reduce][regression]", test_policies) {
    // Regression: the outer index of a reduced axis leaked into the reduction's loop start.
    using P = TestType;
    tensor<float, "i"> v = {0.0f, 5.0f, 0.0f, 0.0f};
    tensor<float, "i"> out({i = 4});
    run<P>(out, loom::cast<float>(loom::argmax(v, i)) + v * 0.0f);
    for (index_t n = 0; n < 4; ++n) CHECK(out(i = n) == 1.0f);
    tensor<float, "i"> w = {1e8f, 4.0f, 4.0f};
    tensor<float, "i"> sums({i = 3});
    run<P>(sums, loom::sum(w, i) + w * 0.0f);
    CHECK(sums(i = 0) == sums(i = 1));
    CHECK(sums(i = 1) == sums(i = 2));
}

TEMPLATE_LIST_TEST_CASE("affine indices reverse, negate, and size only what they can",
                        "[access]", test_policies) {
    using P = TestType;
    tensor<int, "x"> v = {10, 11, 12, 13, 14};
    tensor<int, "x"> rev({x = 5});
    run<P>(rev, v.at(x = 4 - x));
    for (index_t n = 0; n < 5; ++n) CHECK(rev(x = n) == 14 - int(n));
    run<P>(rev, v.at(loom::wrap, x = -x));  // 0, -1 -> 4, -2 -> 3, ...
    CHECK(rev(x = 0) == 10);
    CHECK(rev(x = 1) == 14);
    CHECK(rev(x = 4) == 11);
    // y = 2*y + ky says nothing of y's extent: an unsized destination is an error, not a guess.
    tensor<int, "x", "ky"> img({x = 6, ky = 2}, [](const auto& p) { return int(p[x] * 2 + p[ky]); });
    CHECK_THROWS_WITH((tensor<int, "x", "ky">(img.at(x = 2 * x))), Catch::Contains("'x'"));
    // Found by the fuzzer: an empty tensor took extent 0 where the expression suggested one.
    tensor<int, "x"> shifted;
    run<P>(shifted, v.at(x = x + 1));
    REQUIRE(shifted.extent(x) == 5);
    for (index_t n = 0; n < 5; ++n) CHECK(shifted(x = n) == (n < 4 ? 11 + int(n) : 0));
    tensor<int, "x"> sized({x = 3});  // a sized tensor keeps its extent where e only suggests
    run<P>(sized, v.at(x = x + 1));
    CHECK(sized.extent(x) == 3);
    CHECK(sized(x = 2) == 13);
    tensor<int, "x", "ky"> down({x = 3, ky = 2});
    run<P>(down, img.at(x = 2 * x));
    CHECK(down(x = 2, ky = 1) == img(x = 4, ky = 1));
    CHECK_THAT(loom::explain(img.at(loom::clamp, x = x + ky - 1)), Catch::Contains("x = x + ky - 1"));
    tensor<int> biggest;
    run<P>(biggest, loom::max(img));  // every axis when none is named
    CHECK(biggest() == 11);
}

TEMPLATE_LIST_TEST_CASE("float sums of 10^7 terms stay within the blocked pairwise bound",
                        "[reduce][numerics]", test_policies) {
    using P = TestType;
    constexpr index_t n = 10'000'000;
    // Positive terms: the worst case for one running sum, which stalls as it grows.
    tensor<float, "t"> xs({t = n}, [](const auto& p) { return 0.1f + 0.01f * float(std::sin(double(p[t]))); });
    long double exact = 0, magnitude = 0;
    float naive = 0;
    for (index_t q = 0; q < n; ++q) {
        exact += xs(t = q);
        magnitude += std::abs(xs(t = q));
        naive += xs(t = q);
    }
    // The documented bound: (summation_block + log2(n) + a few) * eps * sum(|x|).
    const long double eps = std::numeric_limits<float>::epsilon();
    const long double bound = (loom::summation_block + 24 + 8) * eps * magnitude;
    REQUIRE(std::abs(naive - exact) > bound);  // one running sum breaks it: the test can fail
    tensor<float> total;
    run<P>(total, loom::sum(xs, t));
    CHECK(std::abs(total() - exact) <= bound);
    run<P>(total, loom::mean(xs, t));
    CHECK(std::abs(total() - exact / n) <= bound / n);
    // Over two axes, in the order the reduction visits them.
    const auto grid = xs.split(t, a, b = 10'000);
    run<P>(total, loom::sum(grid, a, b));
    CHECK(std::abs(total() - exact) <= bound);
}
