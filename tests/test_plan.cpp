// The planner's choices, observed through explain() and through counts: hoisted reductions,
// the vectorised axis, linear work for softmax, threads, and exceptions from user code.
#include "catch.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <stdexcept>
#include <tuple>

using namespace loom;

namespace {
constexpr axis<"b"> b;
constexpr axis<"j"> j;
constexpr axis<"y"> y;
constexpr axis<"x"> x;
constexpr axis<"kx"> kx;
constexpr axis<"i"> i;
constexpr axis<"k"> k;

std::atomic<long> map_calls{0};

// A user map that counts how often it runs: the work a softmax does is measured in calls.
struct counting_identity {
    float operator()(float v) const {
        ++map_calls;
        return v;
    }
};

template <class P>
long softmax_calls(index_t n) {
    tensor<float, "b", "j"> in({b = n, j = n}, [](const auto& p) { return float(p[b] - p[j]) * 0.01f; });
    auto m = loom::map(counting_identity{}, in);
    tensor<float, "b", "j"> out({b = n, j = n});
    map_calls = 0;
    out.assign(P{}, loom::exp(m - loom::max(m, j)) / loom::sum(loom::exp(m - loom::max(m, j)), j));
    return map_calls.load();
}
}  // namespace

TEST_CASE("softmax does linear work on simd and par, quadratic on the seq reference",
          "[plan][complexity]") {
    for (index_t n : {8, 16, 32}) {
        // The map appears four times; the two max(m, j) are one hoisted temporary, and the
        // sum's pass stores the exp(m - max) it computes for the division to read back, so
        // the map runs twice per element of b x j.
        CHECK(softmax_calls<simd_policy>(n) == 2 * n * n);
        CHECK(softmax_calls<par_policy>(n) == 2 * n * n);
    }
    // The reference recomputes the reductions per element: its count grows like n^3.
    CHECK(softmax_calls<seq_policy>(16) > 8 * softmax_calls<seq_policy>(8) - 1);
}

TEST_CASE("explain shows hoisted reductions and their temporaries", "[plan][explain]") {
    tensor<float, "b", "j"> in({b = 64, j = 100});
    const std::string text = loom::explain(loom::simd, loom::softmax(in, j));
    INFO(text);
    CHECK_THAT(text, Catch::Contains("hoisted: max("));
    CHECK_THAT(text, Catch::Contains("hoisted: sum("));
    CHECK_THAT(text, Catch::Contains("temporary {b: 64}"));
    CHECK_THAT(text, Catch::Contains("j in [0, 100)  (vectorised"));
}

TEST_CASE("a column reduction vectorises along the kept contiguous axis", "[plan][explain]") {
    tensor<float, "b", "j"> in({b = 64, j = 100});
    const std::string text = loom::explain(loom::simd, loom::sum(in, b));
    INFO(text);
    CHECK_THAT(text, Catch::Contains("j in [0, 100)  (vectorised"));
    // A row reduction reads along j instead: no output axis is vectorised, the sum is.
    const std::string rows = loom::explain(loom::simd, loom::sum(in, j));
    INFO(rows);
    CHECK_THAT(rows, !Catch::Contains("(vectorised"));
}

TEST_CASE("a stencil vectorises on the contiguous axis", "[plan][explain]") {
    tensor<float, "y", "x"> img({y = 32, x = 64});
    tensor<float, "kx"> w = {1.0f, 2.0f, 1.0f};
    const std::string text = loom::explain(loom::simd, loom::sum(img.at(x = x + kx - 1) * w, kx));
    INFO(text);
    CHECK_THAT(text, Catch::Contains("x in [0, 64)  (vectorised"));
}

TEMPLATE_LIST_TEST_CASE("a full reduction under an element-wise function runs as a nest of its own",
                        "[plan][explain]", test_policies) {
    using P = TestType;
    tensor<float, "b", "j"> in({b = 37, j = 131}, [](const auto& p) { return float((p[b] * 7 + p[j] * 3) % 23) - 11.0f; });
    tensor<float, "j", "k"> w({j = 131, k = 19}, [](const auto& p) { return float((p[j] + 2 * p[k]) % 5) * 0.25f; });
    tensor<float, "k"> bias({k = 19}, [](const auto& p) { return float(p[k]); });
    tensor<float, "b"> twice({b = 37}), norm({b = 37}), cols_twice;
    tensor<float, "b", "k"> affine({b = 37, k = 19});
    tensor<float> total;
    twice.assign(P{}, loom::sum(in, j) * 2.0f);
    norm.assign(P{}, loom::sqrt(loom::sum(in * in, j)) + 0.5f);
    // (A rename is never hoisted: this sum stays in the map's nest; its values still count.)
    cols_twice.assign(P{}, loom::rename(loom::sum(in, b), j, b) * 2.0f);
    affine.assign(P{}, loom::sum(in * w, j) + bias);
    total.assign(P{}, loom::sum(in) * 2.0f);
    double all = 0;
    for (index_t p = 0; p < 37; ++p) {
        double s = 0, s2 = 0;
        for (index_t q = 0; q < 131; ++q) s += in(b = p, j = q), s2 += double(in(b = p, j = q)) * in(b = p, j = q);
        all += s;
        CHECK(twice(b = p) == Approx(2 * s));
        CHECK(norm(b = p) == Approx(std::sqrt(s2) + 0.5));
        for (index_t r = 0; r < 19; ++r) {
            double a = 0;
            for (index_t q = 0; q < 131; ++q) a += double(in(b = p, j = q)) * w(j = q, k = r);
            CHECK(affine(b = p, k = r) == Approx(a + r));
        }
    }
    for (index_t q = 0; q < 131; ++q) {
        double s = 0;
        for (index_t p = 0; p < 37; ++p) s += in(b = p, j = q);
        CHECK(cols_twice(b = q) == Approx(2 * s));
    }
    CHECK(total() == Approx(2 * all));
    {  // into a column of the matrix it reduces: the sums read the old row, then overwrite it
        auto m = in;
        m.slice(j = 0).assign(P{}, loom::sum(m, j) * 2.0f);
        for (index_t p = 0; p < 37; ++p) {
            double s = 0;
            for (index_t q = 0; q < 131; ++q) s += in(b = p, j = q);
            CHECK(m(b = p, j = 0) == Approx(2 * s));
            CHECK(m(b = p, j = 1) == in(b = p, j = 1));
        }
    }
    if constexpr (!std::is_same_v<P, seq_policy>) {
        // The sum is evaluated first (vectorised along j) into a {b} temporary.
        const std::string text = loom::explain(P{}, twice, loom::sum(in, j) * 2.0f);
        INFO(text);
        CHECK_THAT(text, Catch::Contains("hoisted: sum(") && Catch::Contains("computed once into a temporary {b: 37}"));
        // A stencil stays in the element-wise nest, which reads its terms in packs along x.
        tensor<float, "y", "x"> img({y = 8, x = 64});
        tensor<float, "kx"> k3 = {1.0f, 2.0f, 1.0f};
        const std::string stencil = loom::explain(P{}, loom::sum(img.at(x = x + kx - 1) * k3, kx) / 4.0f);
        INFO(stencil);
        CHECK_THAT(stencil, !Catch::Contains("hoisted"));
    }
}

TEST_CASE("par splits large work across threads and keeps small work on one", "[plan][par]") {
    tensor<float, "b", "j"> big({b = 1024, j = 1024});
    const std::string text = loom::explain(loom::par_policy{2}, big * 2.0f);
    INFO(text);
    CHECK_THAT(text, Catch::Contains("2 threads over b"));
    tensor<float, "b", "j"> small({b = 4, j = 8});
    CHECK_THAT(loom::explain(loom::par_policy{2}, small * 2.0f), !Catch::Contains("threads"));
    // The split result equals the single-thread one exactly.
    tensor<float, "b", "j"> src({b = 256, j = 512}, [](const auto& p) { return std::sin(float(p[b] * 512 + p[j])); });
    tensor<float, "b", "j"> one({b = 256, j = 512}), two({b = 256, j = 512});
    one.assign(loom::simd, loom::softmax(src, j));
    two.assign(loom::par_policy{2}, loom::softmax(src, j));
    index_t differ = 0;
    for (index_t p = 0; p < 256; ++p)
        for (index_t q = 0; q < 512; ++q) differ += one(b = p, j = q) != two(b = p, j = q);
    CHECK(differ == 0);
}

TEST_CASE("an exception from a user function in par reaches the caller", "[plan][par][errors]") {
    tensor<float, "b", "j"> src({b = 512, j = 256}, 1.0f);
    tensor<float, "b", "j"> out({b = 512, j = 256});
    auto throws_late = loom::map(
        [](float v) {
            if (v > 100.0f) throw std::runtime_error("user function failed");
            return v;
        },
        src + loom::generate(loom::extents(b = 512), [](const auto& p) { return float(p[b]); }));
    CHECK_THROWS_WITH(out.assign(loom::par_policy{2}, throws_late), "user function failed");
    // The pool is still usable afterwards.
    out.assign(loom::par_policy{2}, src * 3.0f);
    CHECK(out(b = 511, j = 255) == 3.0f);
}

TEMPLATE_LIST_TEST_CASE("extents of 0, 1, primes and non-multiples of the pack width",
                        "[plan][edges]", test_policies) {
    using P = TestType;
    for (index_t n : {0, 1, 2, 3, 7, 13, 17, 31, 33, 61, 67}) {
        tensor<float, "b", "j"> in({b = 3, j = n}, [](const auto& p) { return float(p[j] % 5) - 2.0f + float(p[b]); });
        tensor<float, "b", "j"> out({b = 3, j = n});
        tensor<float, "b"> sums({b = 3});
        loom_test::run<P>(out, loom::abs(in) * 2.0f + 1.0f);
        loom_test::run<P>(sums, loom::sum(in * in, j));
        for (index_t p = 0; p < 3; ++p) {
            double s = 0;
            for (index_t q = 0; q < n; ++q) {
                const float v = in(b = p, j = q);
                CHECK(out(b = p, j = q) == std::abs(v) * 2.0f + 1.0f);
                s += double(v) * double(v);
            }
            CHECK(sums(b = p) == Approx(s).epsilon(1e-5));
        }
    }
}

namespace {
long gemm_calls = 0;
bool gemm_accepts = true;

// A user kernel: a plain triple loop that records being called (or declines).
bool reference_gemm(const loom::gemm_problem<double>& g) {
    ++gemm_calls;
    if (!gemm_accepts) return false;
    for (index_t i = 0; i < g.m; ++i)
        for (index_t n = 0; n < g.n; ++n) {
            double s = 0;
            for (index_t k = 0; k < g.k; ++k) s += g.a[i * g.a_row + k * g.a_col] * g.b[k * g.b_row + n * g.b_col];
            g.c[i * g.c_row + n * g.c_col] = s;
        }
    return true;
}

template <class P>
void check_contraction(const P& policy) {
    tensor<double, "i", "k"> a({i = 9, k = 5}, [](const auto& p) { return double(p[i] - 2 * p[k]); });
    tensor<double, "j", "k"> bt({j = 7, k = 5}, [](const auto& p) { return double(p[j] + p[k]) * 0.5; });
    tensor<double, "j", "i"> c({i = 9, j = 7});  // a transposed destination
    c.assign(policy, loom::sum(a * bt, k));
    for (index_t p = 0; p < 9; ++p)
        for (index_t q = 0; q < 7; ++q) {
            double s = 0;
            for (index_t r = 0; r < 5; ++r) s += a(i = p, k = r) * bt(j = q, k = r);
            CHECK(c(i = p, j = q) == Approx(s));
        }
}
}  // namespace

TEST_CASE("a GEMM-shaped contraction goes to the registered plug-in", "[plan][plugin]") {
    loom::gemm_plugin_for<double>() = {&reference_gemm, "reference gemm"};
    gemm_calls = 0;
    gemm_accepts = true;
    check_contraction(loom::simd);
    CHECK(gemm_calls == 1);
    check_contraction(loom::par_policy{2});
    CHECK(gemm_calls >= 2);
    tensor<double, "i", "k"> a({i = 4, k = 3});
    tensor<double, "k", "j"> b({k = 3, j = 2});
    CHECK_THAT(loom::explain(loom::simd, loom::sum(a * b, k)), Catch::Contains("plug-in: reference gemm"));
    // Turned off, or declining, the generated nest computes the same result.
    gemm_calls = 0;
    check_contraction(loom::simd_policy{.plugins = false});
    CHECK(gemm_calls == 0);
    CHECK_THAT(loom::explain(loom::simd_policy{.plugins = false}, loom::sum(a * b, k)),
               !Catch::Contains("plug-in"));
    gemm_accepts = false;
    check_contraction(loom::simd);
    CHECK(gemm_calls == 1);
    // A contraction under an epilogue is evaluated first, by the plug-in, into a temporary
    // that the epilogue reads; a prologue (`sum(a * 2 * b, k)`) is not GEMM-shaped.
    gemm_accepts = true;
    gemm_calls = 0;
    tensor<double, "i", "k"> a2({i = 4, k = 3}, [](const auto& p) { return double(p[i] + 3 * p[k]); });
    tensor<double, "k", "j"> b2({k = 3, j = 2}, [](const auto& p) { return double(p[k] - p[j]) * 0.5; });
    tensor<double, "i", "j"> fused({i = 4, j = 2}), prologue({i = 4, j = 2});
    fused.assign(loom::simd, loom::sum(a2 * b2, k) + 1.0);
    CHECK(gemm_calls == 1);
    prologue.assign(loom::simd, loom::sum(a2 * 2.0 * b2, k));
    CHECK(gemm_calls == 1);
    for (index_t p = 0; p < 4; ++p)
        for (index_t q = 0; q < 2; ++q) {
            double s = 0;
            for (index_t r = 0; r < 3; ++r) s += a2(i = p, k = r) * b2(k = r, j = q);
            CHECK(fused(i = p, j = q) == Approx(s + 1.0));
            CHECK(prologue(i = p, j = q) == Approx(2 * s));
        }
    loom::gemm_plugin_for<double>() = {};
}

#if __has_include(<Eigen/Core>)
#include <loom/interop/eigen_gemm.hpp>

TEST_CASE("Eigen's product as the GEMM plug-in agrees with the generated nest", "[plan][plugin]") {
    loom::eigen::register_gemm();
    tensor<float, "i", "k"> a({i = 67, k = 45}, [](const auto& p) { return float((p[i] * 3 + p[k]) % 11) - 5.0f; });
    tensor<float, "k", "j"> b({k = 45, j = 33}, [](const auto& p) { return float((p[k] + 2 * p[j]) % 7) - 3.0f; });
    tensor<float, "i", "j"> with({i = 67, j = 33}), without({i = 67, j = 33});
    with.assign(loom::simd, loom::sum(a * b, k));
    without.assign(loom::simd_policy{.plugins = false}, loom::sum(a * b, k));
    index_t differ = 0;
    for (index_t p = 0; p < 67; ++p)
        for (index_t q = 0; q < 33; ++q) differ += with(i = p, j = q) != without(i = p, j = q);
    CHECK(differ == 0);  // small integers: exact in float whatever the order
    CHECK_THAT(loom::explain(loom::simd, loom::sum(a * b, k)), Catch::Contains("Eigen matrix product"));
    loom::gemm_plugin_for<float>() = {};
    loom::gemm_plugin_for<double>() = {};
}
#endif

TEST_CASE("share() computes a reused subexpression once", "[plan][share]") {
    const index_t n = 24;
    tensor<float, "b", "j"> in({b = n, j = n}, [](const auto& p) { return float(p[b] + p[j]) * 0.05f; });
    auto m = loom::map(counting_identity{}, in);
    auto s = loom::share(loom::exp(m - loom::max(m, j)));
    tensor<float, "b", "j"> shared_out({b = n, j = n}), reference({b = n, j = n});
    map_calls = 0;
    shared_out.assign(loom::simd, s / loom::sum(s, j));
    CHECK(map_calls == 2 * n * n);  // once for the exponentials, once for their row maximum
    reference.assign(loom::seq, s / loom::sum(s, j));
    for (index_t p = 0; p < n; ++p)
        for (index_t q = 0; q < n; ++q)
            CHECK(shared_out(b = p, j = q) == Approx(reference(b = p, j = q)).epsilon(1e-5));
    CHECK_THAT(loom::explain(loom::simd, s / loom::sum(s, j)), Catch::Contains("hoisted: share("));
}

namespace {
// A multiplier whose value is a capture: two of them have the same type and describe()
// text, and differ only in their bytes.
struct scale_by {
    float c;
    float operator()(float v) const { return v * c; }
};

// Equal-looking reductions that compute different values are never shared: functions that
// differ only in a capture, constants that print alike, and an operand whose
// terms a reduction could keep but which differs from the reduced one. Checked against
// plain loops.
template <class P>
void check_distinct_reductions(const P& policy) {
    const index_t rows = 3, cols = 5;
    tensor<float, "b", "j"> in({b = rows, j = cols}, [](const auto& p) { return float(p[b] * cols + p[j]); });
    tensor<float, "b", "j"> out({b = rows, j = cols});
    const float c1 = 100000.0f, c2 = 100000.4f;  // both print as "100000"
    out.assign(policy, loom::sum(loom::map(scale_by{2.0f}, in), j) + 0.0f * in +
                           loom::sum(loom::map(scale_by{3.0f}, in), j));
    for (index_t r = 0; r < rows; ++r) {
        float row = 0;
        for (index_t q = 0; q < cols; ++q) row += float(r * cols + q);
        for (index_t q = 0; q < cols; ++q) CHECK(out(b = r, j = q) == 5 * row);
    }
    out.assign(policy, loom::sum(in * c1, j) - loom::sum(in * c2, j) + 0.0f * in);
    for (index_t r = 0; r < rows; ++r) {
        double a = 0, d = 0;
        for (index_t q = 0; q < cols; ++q) {
            a += double(float(r * cols + q) * c1);
            d += double(float(r * cols + q) * c2);
        }
        REQUIRE(a - d < -3.0);  // shared, the difference would be 0
        for (index_t q = 0; q < cols; ++q) CHECK(out(b = r, j = q) == Approx(a - d).margin(1.0));
    }
    // e / sum(e', j) with e' equal to e but for a capture: e's terms are not e''s.
    out.assign(policy, loom::map(scale_by{2.0f}, in) / loom::sum(loom::map(scale_by{4.0f}, in), j));
    for (index_t r = 0; r < rows; ++r) {
        float row = 0;
        for (index_t q = 0; q < cols; ++q) row += 4.0f * float(r * cols + q);
        for (index_t q = 0; q < cols; ++q)
            CHECK(out(b = r, j = q) == Approx(2.0f * float(r * cols + q) / row));
    }
}
}  // namespace

TEST_CASE("reductions that differ only in a capture or in a constant are not shared",
          "[plan][hoist]") {
    check_distinct_reductions(loom::seq);
    check_distinct_reductions(loom::simd);
    check_distinct_reductions(loom::par);
}

namespace {
// Every schedule must give seq's result: the directives reorder work, never change it.
template <class P>
void check_schedule(const P& policy) {
    tensor<float, "b", "j"> in({b = 37, j = 53}, [](const auto& p) { return std::sin(float(p[b] * 53 + p[j])); });
    tensor<float, "b", "j"> want({b = 37, j = 53}), got({b = 37, j = 53});
    auto e = loom::softmax(in, j) * 2.0f + loom::sum(in, b);
    want.assign(loom::seq, e);
    got.assign(policy, e);
    for (index_t p = 0; p < 37; ++p)
        for (index_t q = 0; q < 53; ++q)
            CHECK(got(b = p, j = q) == Approx(want(b = p, j = q)).epsilon(1e-5).margin(1e-6));
}

template <class P>
void check_contraction_schedule(const P& policy) {
    tensor<float, "b", "k"> x({b = 19, k = 23}, [](const auto& p) { return float(p[b] - p[k]); });
    tensor<float, "k", "j"> w({k = 23, j = 41}, [](const auto& p) { return float(p[k] % 3) - 1.0f; });
    tensor<float, "b", "j"> c1({b = 19, j = 41}), c2({b = 19, j = 41});
    c1.assign(loom::seq, loom::sum(x * w, k));
    c2.assign(policy, loom::sum(x * w, k));
    for (index_t p = 0; p < 19; ++p)
        for (index_t q = 0; q < 41; ++q) CHECK(c2(b = p, j = q) == c1(b = p, j = q));
}
}  // namespace

TEST_CASE("schedules override the planner and never change a result", "[plan][schedule]") {
    check_schedule(loom::simd.with(loom::vectorize(b)));  // a strided destination axis
    check_schedule(loom::simd.with(loom::vectorize(j), loom::unroll(j, 3)));
    check_schedule(loom::simd.with(loom::order(j, b)));
    check_schedule(loom::simd.with(loom::tile(b, 5)));
    check_schedule(loom::par_policy{2}.with(loom::parallel(j), loom::tile(b, 8)));
    check_schedule(loom::par_policy{2}.with(loom::parallel(b), loom::order(j, b), loom::vectorize(j)));
    check_contraction_schedule(loom::simd.with(loom::tile(k, 4)));  // the reduction's block
    check_contraction_schedule(loom::simd.with(loom::tile(b, 3), loom::tile(k, 5), loom::unroll(j, 2),
                                               loom::vectorize(j)));
    check_contraction_schedule(loom::par_policy{2}.with(loom::parallel(j), loom::order(j, b)));
}

TEST_CASE("explain shows the schedule that was obeyed", "[plan][schedule][explain]") {
    tensor<float, "b", "j"> in({b = 64, j = 100});
    const std::string vec_b = loom::explain(loom::simd.with(loom::vectorize(b)), in * 2.0f);
    INFO(vec_b);
    CHECK_THAT(vec_b, Catch::Contains("schedule: vectorize{b}"));
    CHECK_THAT(vec_b, Catch::Contains("for j in [0, 100):\n  for b in [0, 64)  (vectorised"));
    const std::string par_j =
        loom::explain(loom::par_policy{2}.with(loom::parallel(j), loom::order(j, b)), in * 2.0f);
    INFO(par_j);
    CHECK_THAT(par_j, Catch::Contains("2 threads over j"));
    CHECK_THAT(par_j, Catch::Contains("for j in [0, 100):\n  for b in [0, 64):"));
}

namespace {
// dst{j, b} = 2 src{b, j} + 1 for element type T, compared with a scalar loop, under policy P
// and under par splitting tiny jobs on 2 threads (chunks then end inside tiles).
template <class T, class P>
void check_transposed(index_t nb, index_t nj) {
    tensor<T, "b", "j"> src({b = nb, j = nj}, [&](const auto& p) { return T(p[b] * nj + p[j]); });
    for (int split = 0; split < 2; ++split) {
        tensor<T, "j", "b"> dst({b = nb, j = nj});
        if (split) dst.assign(par_policy{2, true, 1}, src * T(2) + T(1));
        else loom_test::run<P>(dst, src * T(2) + T(1));
        INFO(nb << "x" << nj << (split ? " on 2 threads" : ""));
        bool exact = true;
        for (index_t p = 0; p < nb; ++p)
            for (index_t q = 0; q < nj; ++q)
                exact = exact && dst(b = p, j = q) == T(p * nj + q) * T(2) + T(1);
        CHECK(exact);
    }
}
}  // namespace

TEMPLATE_LIST_TEST_CASE("a transposing assignment runs in transposed tiles and stays exact",
                        "[plan][views]", test_policies) {
    using P = TestType;
    // Tiles are width x width (4, 8 or 16 lanes): whole tiles, edges and rows shorter than one.
    for (auto [nb, nj] : {std::pair<index_t, index_t>{70, 45}, {64, 64}, {16, 16}, {3, 40},
                          {40, 3}, {33, 17}, {1, 50}, {300, 9}, {17, 4200}}) {
        check_transposed<float, P>(nb, nj);
        check_transposed<std::int32_t, P>(nb, nj);
        check_transposed<double, P>(nb, nj);
    }
    // Three axes, the tile axis in the middle, into a reversed destination.
    tensor<float, "k", "b", "j"> src({k = 3, b = 37, j = 29}, [](const auto& p) {
        return float(p[k] * 10000 + p[b] * 100 + p[j]);
    });
    tensor<float, "j", "b", "k"> store({k = 3, b = 37, j = 29}, -1.f);
    using view_t = decltype(store.view());
    const view_t dst(store.data() + 36 * 3, store.shape(), typename view_t::strides_type{111, -3, 1});
    loom_test::run<P>(dst, src - 1.0f);
    bool exact = true;
    for (index_t r = 0; r < 3; ++r)
        for (index_t p = 0; p < 37; ++p)
            for (index_t q = 0; q < 29; ++q)
                exact = exact && store(k = r, b = 36 - p, j = q) == float(r * 10000 + p * 100 + q) - 1;
    CHECK(exact);

    tensor<float, "b", "j"> x({b = 70, j = 45}, 1.f);
    tensor<float, "j", "b"> out({b = 70, j = 45});
    const std::string text = loom::explain(loom::simd, out, x * 2.0f + 1.0f);
    INFO(text);
    CHECK_THAT(text, Catch::Contains("tiles of "));
    CHECK_THAT(text, Catch::Contains("packs along j into a buffer, stored transposed along b"));
    CHECK_THAT(text, Catch::Contains("for j in [0, 45)  (vectorised"));
    // Both axes strided in some leaf: no tiles, square blocks of the strided reads.
    tensor<float, "j", "b"> t({b = 70, j = 45}, 1.f);
    const std::string mixed = loom::explain(loom::simd, out, x * t);
    INFO(mixed);
    CHECK_THAT(mixed, Catch::Contains("blocks of 16 along j and b"));
}

TEMPLATE_LIST_TEST_CASE("a top reduction sweeps groups of rows held in registers, exactly",
                        "[plan][reduce]", test_policies) {
    using P = TestType;
    // Small integers: every order of the sums is exact, so any misplaced term shows.
    for (auto [ni, nj, nk] : {std::tuple<index_t, index_t, index_t>{67, 67, 67}, {64, 128, 9},
                              {5, 200, 31}, {13, 17, 8}, {4, 64, 300}, {100, 70, 12}}) {
        tensor<float, "i", "k"> a({i = ni, k = nk}, [](const auto& p) {
            return float((p[i] * 7 + p[k] * 3) % 11) - 5;
        });
        tensor<float, "k", "j"> bm({k = nk, j = nj}, [](const auto& p) {
            return float((p[k] * 5 + p[j]) % 13) - 6;
        });
        tensor<float, "i", "j"> prod({i = ni, j = nj}), top({i = ni, j = nj});
        tensor<float, "j", "i"> flipped({i = ni, j = nj});
        if constexpr (std::is_same_v<P, simd_policy>)
            prod.assign(simd_policy{false}, loom::sum(a * bm, k));  // the generated nest
        else if constexpr (std::is_same_v<P, par_policy>)
            prod.assign(par_policy{2, false, 1}, loom::sum(a * bm, k));
        else
            prod.assign(P{}, loom::sum(a * bm, k));
        loom_test::run<P>(top, loom::max(a + bm, k));
        loom_test::run<P>(flipped, loom::sum(a * bm, k));
        INFO(ni << "x" << nj << "x" << nk);
        bool exact = true;
        for (index_t r = 0; r < ni; ++r)
            for (index_t c = 0; c < nj; ++c) {
                float s = 0, m = -INFINITY;
                for (index_t q = 0; q < nk; ++q) {
                    s += a(i = r, k = q) * bm(k = q, j = c);
                    m = std::max(m, a(i = r, k = q) + bm(k = q, j = c));
                }
                exact = exact && prod(i = r, j = c) == s && top(i = r, j = c) == m &&
                        flipped(i = r, j = c) == s;
            }
        CHECK(exact);
    }
    tensor<float, "i", "k"> a({i = 67, k = 67}, 1.f);
    tensor<float, "k", "j"> bm({k = 67, j = 67}, 1.f);
    tensor<float, "i", "j"> c({i = 67, j = 67});
    const std::string text = loom::explain(simd_policy{false}, c, loom::sum(a * bm, k));
    INFO(text);
    CHECK_THAT(text, Catch::Contains("into the destination row ("));
    CHECK_THAT(text, Catch::Contains(" rows of i x "));
}

TEST_CASE("a destination larger than the caches is written with streaming stores, exactly",
          "[plan][stream]") {
    // 1500 x 1501 floats (9 MB): rows start at every alignment, and end in a scalar tail.
    tensor<float, "b", "j"> x({b = 1500, j = 1501}, [](const auto& p) { return float(p[b] - p[j]); });
    tensor<float, "b", "j"> want({b = 1500, j = 1501}), simd_out({b = 1500, j = 1501}),
        par_out({b = 1500, j = 1501});
    want.assign(loom::seq, x * 2.0f + 1.0f);
    simd_out.assign(loom::simd, x * 2.0f + 1.0f);
    par_out.assign(loom::par_policy{2}, x * 2.0f + 1.0f);
    index_t differ = 0;
    for (index_t n = 0; n < want.size(); ++n)
        differ += (simd_out.data()[n] != want.data()[n]) + (par_out.data()[n] != want.data()[n]);
    CHECK(differ == 0);
}

namespace {
// Softmax along j of f(b, j), in double, by plain loops.
template <class F>
std::vector<double> softmax_reference(index_t rows, index_t cols, F f) {
    std::vector<double> out(std::size_t(rows * cols));
    for (index_t r = 0; r < rows; ++r) {
        double m = -INFINITY, s = 0;
        for (index_t c = 0; c < cols; ++c) m = std::max(m, double(f(r, c)));
        for (index_t c = 0; c < cols; ++c) s += std::exp(double(f(r, c)) - m);
        for (index_t c = 0; c < cols; ++c) out[std::size_t(r * cols + c)] = std::exp(double(f(r, c)) - m) / s;
    }
    return out;
}

float wave(index_t r, index_t c) { return std::sin(0.37f * float(r) + 0.11f * float(c * c % 29)) * 3.0f; }
float ramp(index_t r, index_t c) { return float((r * 7 + c * 3) % 11) * 0.25f - 1.0f; }

template <class P>
void check_kept_terms(const P& policy) {
    for (index_t n : {1, 5, 16, 37, 100}) {
        INFO("n = " << n);
        const index_t rows = 6;
        tensor<float, "b", "j"> xs({b = rows, j = n}, [](const auto& p) { return wave(p[b], p[j]); });
        tensor<float, "b", "j"> zs({b = rows, j = n}, [](const auto& p) { return ramp(p[b], p[j]); });
        const auto ref_x = softmax_reference(rows, n, wave);
        const auto ref_z = softmax_reference(rows, n, ramp);
        auto at = [&](const std::vector<double>& v, index_t r, index_t c) { return v[std::size_t(r * n + c)]; };
        auto ex = loom::exp(xs - loom::max(xs, j));
        auto ez = loom::exp(zs - loom::max(zs, j));

        // The terms kept in a dense destination, in a transposed one, and in a strided view.
        tensor<float, "b", "j"> dense({b = rows, j = n});
        dense.assign(policy, ex / loom::sum(ex, j));
        tensor<float, "j", "b"> transposed({b = rows, j = n});
        transposed.assign(policy, ex / loom::sum(ex, j));
        tensor<float, "b", "j"> wide({b = rows, j = 2 * n}, [](const auto&) { return -7.0f; });
        auto every_other = wide.view().slice(j = loom::range(0, 2 * n, 2));
        every_other.assign(policy, ex / loom::sum(ex, j));
        // Same types, different operands: the division's exp is not the sum's.
        tensor<float, "b", "j"> mixed({b = rows, j = n});
        mixed.assign(policy, ex / loom::sum(ez, j));
        // Two kept operands in one expression: the second needs its own buffer.
        tensor<float, "b", "j"> twice({b = rows, j = n});
        twice.assign(policy, ex / loom::sum(ex, j) + ez / loom::sum(ez, j));
        // The destination is also read, in place: the kept terms go elsewhere.
        tensor<float, "b", "j"> plus = zs;
        plus.assign(policy, plus + ex / loom::sum(ex, j));
        // The destination is the operand: a temporary, then a copy.
        tensor<float, "b", "j"> inplace = xs;
        inplace.assign(policy, loom::exp(inplace - loom::max(inplace, j)) /
                                   loom::sum(loom::exp(inplace - loom::max(inplace, j)), j));
        for (index_t r = 0; r < rows; ++r) {
            double zmax = -INFINITY;
            for (index_t c = 0; c < n; ++c) zmax = std::max(zmax, double(ramp(r, c)));
            double zden = 0;
            for (index_t c = 0; c < n; ++c) zden += std::exp(double(ramp(r, c)) - zmax);
            double xmax = -INFINITY;
            for (index_t c = 0; c < n; ++c) xmax = std::max(xmax, double(wave(r, c)));
            for (index_t c = 0; c < n; ++c) {
                const double want = at(ref_x, r, c);
                CHECK(dense(b = r, j = c) == Approx(want).epsilon(1e-5));
                CHECK(transposed(b = r, j = c) == Approx(want).epsilon(1e-5));
                CHECK(wide(b = r, j = 2 * c) == Approx(want).epsilon(1e-5));
                CHECK(wide(b = r, j = 2 * c + 1) == -7.0f);
                CHECK(mixed(b = r, j = c) == Approx(std::exp(double(wave(r, c)) - xmax) / zden).epsilon(1e-5));
                CHECK(twice(b = r, j = c) == Approx(want + at(ref_z, r, c)).epsilon(1e-5));
                CHECK(inplace(b = r, j = c) == Approx(want).epsilon(1e-5));
                CHECK(plus(b = r, j = c) == Approx(want + double(ramp(r, c))).epsilon(1e-5));
            }
        }
        // Along the outer axis (the sum's pass runs column by column), and a single line.
        tensor<float, "b", "j"> columns({b = rows, j = n});
        auto eb = loom::exp(xs - loom::max(xs, b));
        columns.assign(policy, eb / loom::sum(eb, b));
        const auto ref_cols = softmax_reference(n, rows, [](index_t c, index_t r) { return wave(r, c); });
        tensor<float, "j"> line({j = n});
        tensor<float, "j"> v({j = n}, [](const auto& p) { return wave(2, p[j]); });
        line.assign(policy, loom::exp(v - loom::max(v, j)) / loom::sum(loom::exp(v - loom::max(v, j)), j));
        for (index_t c = 0; c < n; ++c) {
            CHECK(line(j = c) == Approx(at(ref_x, 2, c)).epsilon(1e-5));
            for (index_t r = 0; r < rows; ++r)
                CHECK(columns(b = r, j = c) == Approx(ref_cols[std::size_t(c * rows + r)]).epsilon(1e-5));
        }
    }
}
}  // namespace

TEST_CASE("a reduction's terms reused by the expression are kept, in every layout",
          "[plan][hoist]") {
    check_kept_terms(loom::seq);
    check_kept_terms(loom::simd);
    check_kept_terms(loom::par);
    check_kept_terms(loom::par_policy{2, true, 1});  // rows really split across threads
    check_kept_terms(loom::simd.with(loom::unroll(j, 2)));
}

TEST_CASE("explain says where kept terms are stored and when temporaries are filled",
          "[plan][hoist][explain]") {
    tensor<float, "b", "j"> in({b = 64, j = 100});
    const std::string rows = loom::explain(loom::simd, loom::softmax(in, j));
    INFO(rows);
    CHECK_THAT(rows, Catch::Contains("computed row by row"));
    CHECK_THAT(rows, Catch::Contains("stored in the destination by the pass of the reduction"));
    const std::string cols = loom::explain(loom::simd, loom::softmax(in, b));
    INFO(cols);
    CHECK_THAT(cols, Catch::Contains("computed once into a temporary {j: 100}"));
}

namespace {
// z = exp(x - v) * f(x, s) + s into `dst`, where s is a window of a wider tensor (contiguous
// along j, rows 40 apart, not at its start), v has no j, and f is a user function without a
// SIMD form (evaluated lane by lane); the rows then run from a copy of the tree moved to each
// row. With `transposed`, x is a transposed view, strided along j: the rows take the general
// path. Compared with plain loops in double.
template <class Dst, class Policy>
void check_moved_rows(const Policy& policy, Dst&& dst, bool transposed) {
    const index_t nb = dst.shape().template get<"b">(), nj = dst.shape().template get<"j">();
    tensor<float, "b", "j"> x({b = nb, j = nj}, [](const auto& p) { return 0.01f * float(p[b] * 7 - p[j]); });
    tensor<float, "j", "b"> xt({j = nj, b = nb}, [](const auto& p) { return 0.01f * float(p[b] * 7 - p[j]); });
    tensor<float, "b", "j"> wide({b = nb + 2, j = nj + 5}, [](const auto& p) { return 0.1f * float(p[b] + 2 * p[j]); });
    tensor<float, "b"> v({b = nb}, [](const auto& p) { return 0.5f * float(p[b]); });
    const auto s = wide.view().slice(b = loom::range(1, nb + 1), j = loom::range(3, nj + 3));
    auto f = [](float p, float q) { return p * q + 1.0f; };
    if (transposed) dst.assign(policy, loom::exp(xt - v) * loom::map(f, xt, s) + s);
    else dst.assign(policy, loom::exp(x - v) * loom::map(f, x, s) + s);
    index_t wrong = 0;
    for (index_t r = 0; r < nb; ++r)
        for (index_t c = 0; c < nj; ++c) {
            const double xv = 0.01 * double(r * 7 - c), sv = 0.1 * double(r + 1 + 2 * (c + 3));
            const double want = std::exp(xv - 0.5 * double(r)) * (xv * sv + 1.0) + sv;
            wrong += std::abs(dst(b = r, j = c) - want) > 1e-5 * std::max(1.0, std::abs(want));
        }
    CHECK(wrong == 0);
}
}  // namespace

TEST_CASE("rows with contiguous leaves run from a copy of the tree moved to each row",
          "[plan][simd]") {
    const auto policies = std::make_tuple(loom::simd, loom::par, loom::par_policy{2, true, 1});
    std::apply([](const auto&... policy) {
        for (const index_t nj : {0, 1, 15, 16, 37, 100}) {
            for (const bool transposed : {false, true}) {
                INFO("j: " << nj << (transposed ? ", x transposed" : ""));
                tensor<float, "b", "j"> dense({b = 5, j = nj});
                (check_moved_rows(policy, dense, transposed), ...);
                // A window of a wider destination: its rows do not start at its first element.
                tensor<float, "b", "j"> wide_out({b = 7, j = nj + 9});
                (check_moved_rows(policy, wide_out.view().slice(b = loom::range(1, 6), j = loom::range(4, nj + 4)), transposed), ...);
            }
        }
    }, policies);
    // A softmax whose operand is strided along j (a transposed view, too few rows for
    // transposed tiles): the reductions filled per row read their terms one at a time.
    for (const index_t nj : {1, 16, 37}) {
        INFO("softmax of a transposed operand, j: " << nj);
        tensor<float, "j", "b"> xt({j = nj, b = 5}, [](const auto& p) { return 0.05f * float(p[b] * 3 - p[j]); });
        tensor<float, "b", "j"> out({b = 5, j = nj});
        out.assign(loom::simd, loom::softmax(xt, j));
        index_t wrong = 0;
        for (index_t r = 0; r < 5; ++r) {
            double m = -INFINITY, sum = 0;
            for (index_t c = 0; c < nj; ++c) m = std::max(m, 0.05 * double(r * 3 - c));
            for (index_t c = 0; c < nj; ++c) sum += std::exp(0.05 * double(r * 3 - c) - m);
            for (index_t c = 0; c < nj; ++c)
                wrong += std::abs(out(b = r, j = c) - std::exp(0.05 * double(r * 3 - c) - m) / sum) > 1e-6;
        }
        CHECK(wrong == 0);
        INFO(loom::explain(loom::simd, out, loom::softmax(xt, j)));
    }
    // One long row split across threads along j: chunks start inside the row.
    tensor<float, "j"> line({j = 1003}), doubled({j = 1003}, [](const auto& p) { return 0.001f * float(p[j]); });
    line.assign(loom::par_policy{2, true, 1}, loom::exp(doubled - 0.5f) * doubled);
    index_t wrong = 0;
    for (index_t c = 0; c < 1003; ++c) {
        const double xv = 0.001 * double(c);
        wrong += std::abs(line(j = c) - std::exp(xv - 0.5) * xv) > 1e-6;
    }
    CHECK(wrong == 0);
}

namespace {
// z = exp(x * 0.5 - 1) * w + 2 over {i, b, j}, with x and w dense in z's layout (the nest
// runs as one row), or w permuted, or w a window (rows as usual); against plain loops.
template <class Policy>
void check_flat_nest(const Policy& policy, index_t na, index_t nb, index_t nj) {
    auto value = [](index_t p, index_t q, index_t r) { return 0.01f * float(p * 31 + q * 7 - r); };
    tensor<float, "i", "b", "j"> xv({i = na, b = nb, j = nj}, [&](const auto& p) { return value(p[i], p[b], p[j]); });
    tensor<float, "i", "b", "j"> wv({i = na, b = nb, j = nj}, [&](const auto& p) { return value(p[j], p[i], p[b]); });
    tensor<float, "j", "i", "b"> wp({i = na, b = nb, j = nj}, [&](const auto& p) { return value(p[j], p[i], p[b]); });
    tensor<float, "i", "b", "j"> ww({i = na, b = nb, j = nj + 3}, [&](const auto& p) { return value(p[j] - 1, p[i], p[b]); });
    const auto window = ww.view().slice(j = loom::range(1, nj + 1));
    tensor<float, "i", "b", "j"> dense({i = na, b = nb, j = nj}), permuted({i = na, b = nb, j = nj}),
        windowed({i = na, b = nb, j = nj});
    dense.assign(policy, loom::exp(xv * 0.5f - 1.0f) * wv + 2.0f);
    permuted.assign(policy, loom::exp(xv * 0.5f - 1.0f) * wp + 2.0f);
    windowed.assign(policy, loom::exp(xv * 0.5f - 1.0f) * window + 2.0f);
    index_t wrong = 0;
    for (index_t p = 0; p < na; ++p)
        for (index_t q = 0; q < nb; ++q)
            for (index_t r = 0; r < nj; ++r) {
                const double want = std::exp(double(value(p, q, r)) * 0.5 - 1.0) * double(value(r, p, q)) + 2.0;
                for (const auto* t : {&dense, &permuted, &windowed})
                    wrong += std::abs((*t)(i = p, b = q, j = r) - want) > 1e-5 * std::max(1.0, std::abs(want));
            }
    CHECK(wrong == 0);
}
}  // namespace

TEST_CASE("a nest whose operands are dense in the destination's layout runs as one row",
          "[plan][simd]") {
    const auto policies = std::make_tuple(loom::simd, loom::par, loom::par_policy{2, true, 1});
    std::apply([](const auto&... policy) {
        for (const auto& e : {std::array<index_t, 3>{1, 1, 1}, {2, 3, 5}, {3, 5, 16}, {4, 7, 13},
                              {5, 1, 37}, {0, 3, 4}, {3, 0, 4}, {3, 4, 0}}) {
            INFO("extents " << e[0] << " x " << e[1] << " x " << e[2]);
            (check_flat_nest(policy, e[0], e[1], e[2]), ...);
        }
    }, policies);
    // explain() says so, for the dense operands only.
    tensor<float, "i", "b", "j"> x3({i = 3, b = 5, j = 40}), out({i = 3, b = 5, j = 40});
    tensor<float, "j", "i", "b"> permuted({i = 3, b = 5, j = 40});
    const std::string dense_text = loom::explain(loom::simd, out, x3 * 2.0f + x3);
    INFO(dense_text);
    CHECK_THAT(dense_text, Catch::Contains("as one row: i, b, j follow one another in memory"));
    CHECK_THAT(loom::explain(loom::par, out, x3 * 2.0f + permuted), !Catch::Contains("as one row"));
    CHECK_THAT(loom::explain(loom::simd, out, x3 - loom::max(x3, j)), !Catch::Contains("as one row"));
}

namespace {
// Softmax and a layer norm along j over {i, b, j} with rows of 4100 floats (long enough for
// the passes after a row's first to prefetch the next row), x dense or a window whose next
// row is not where its row ends; against plain double loops.
template <class Policy>
void check_long_rows(const Policy& policy, bool windowed) {
    constexpr index_t ni = 2, nb = 3, nj = 4100;
    auto value = [](index_t p, index_t q, index_t r) { return 0.001f * float((p * 7 + q * 5 + r * 3) % 2003) - 1.0f; };
    tensor<float, "i", "b", "j"> wide({i = ni, b = nb, j = nj + 40}, [&](const auto& p) { return value(p[i], p[b], p[j] - 20); });
    tensor<float, "i", "b", "j"> dense({i = ni, b = nb, j = nj}, [&](const auto& p) { return value(p[i], p[b], p[j]); });
    const auto xv = windowed ? wide.view().slice(j = loom::range(20, nj + 20)) : dense.view();
    tensor<float, "i", "b", "j"> soft({i = ni, b = nb, j = nj}), norm({i = ni, b = nb, j = nj});
    soft.assign(policy, loom::exp(xv - loom::max(xv, j)) / loom::sum(loom::exp(xv - loom::max(xv, j)), j));
    const auto centred = xv - loom::mean(xv, j);
    norm.assign(policy, centred / loom::sqrt(loom::mean(centred * centred, j) + 1e-5f));
    index_t wrong = 0;
    for (index_t p = 0; p < ni; ++p) {
        for (index_t q = 0; q < nb; ++q) {
            double m = -INFINITY, s = 0, mu = 0, var = 0;
            for (index_t r = 0; r < nj; ++r) m = std::max(m, double(value(p, q, r))), mu += value(p, q, r);
            mu /= double(nj);
            for (index_t r = 0; r < nj; ++r) {
                s += std::exp(double(value(p, q, r)) - m);
                var += (value(p, q, r) - mu) * (value(p, q, r) - mu);
            }
            var /= double(nj);
            for (index_t r = 0; r < nj; ++r) {
                wrong += std::abs(soft(i = p, b = q, j = r) - std::exp(double(value(p, q, r)) - m) / s) > 1e-7;
                wrong += std::abs(norm(i = p, b = q, j = r) - (value(p, q, r) - mu) / std::sqrt(var + 1e-5)) > 2e-4;
            }
        }
    }
    CHECK(wrong == 0);
}
}  // namespace

TEST_CASE("rows of 16 KiB and more keep their results while the next row is prefetched",
          "[plan][simd]") {
    const auto policies = std::make_tuple(loom::simd, loom::par, loom::par_policy{2, true, 1});
    std::apply([](const auto&... policy) {
        for (const bool windowed : {false, true}) {
            INFO((windowed ? "x a window" : "x dense"));
            (check_long_rows(policy, windowed), ...);
        }
    }, policies);
}
