// The code paths that exist only for wider instruction sets than the default build's
// SSE2: register transposes of 8x8 (AVX) and 16x16 (AVX-512) blocks, hardware gathers and
// the stride-2 permute, register groups of rows in a sweep. This file is compiled again
// with -mavx2 -mfma and with -march=native (tests/wide/CMakeLists.txt), each run only on a
// machine that has the instructions; every result is compared with a scalar loop.
#include "../catch.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <tuple>
#include <utility>

using namespace loom;

namespace {
using wide_policies = std::tuple<simd_policy, par_policy>;
constexpr axis<"b"> b;
constexpr axis<"j"> j;
constexpr axis<"k"> k;
constexpr axis<"n"> n;

template <class P>
P no_plugins() {
    if constexpr (std::is_same_v<P, par_policy>) return par_policy{2, false, 1};
    else return P{false};
}

// dst{j, b} = 2 src{b, j} + 1, exactly.
template <class T, class P>
bool transposes_exactly(index_t nb, index_t nj) {
    tensor<T, "b", "j"> src({b = nb, j = nj}, [&](const auto& p) { return T(p[b] * nj + p[j]); });
    tensor<T, "j", "b"> dst({b = nb, j = nj});
    dst.assign(no_plugins<P>(), src * T(2) + T(1));
    for (index_t p = 0; p < nb; ++p)
        for (index_t q = 0; q < nj; ++q)
            if (dst(b = p, j = q) != T(p * nj + q) * T(2) + T(1)) return false;
    return true;
}

// y(n) = 3 x(first + n step) + z(first + n step), through slices and a reversed view.
template <class T, class P>
bool gathers_exactly(index_t count, index_t step) {
    const index_t len = count * step + 3;
    tensor<T, "n"> x({n = len}, [](const auto& p) { return T(p[n] % 1000); });
    tensor<T, "n"> z({n = len}, [](const auto& p) { return T(p[n] % 7); });
    const auto sx = x.slice(n = range(1, count * step + 1, step));
    const auto sz = z.slice(n = range(1, count * step + 1, step));
    tensor<T, "n"> y({n = count});
    y.assign(no_plugins<P>(), sx * T(3) + sz);
    using view_t = decltype(x.view());
    const view_t reversed(x.data() + (len - 1), x.shape(), typename view_t::strides_type{-1});
    tensor<T, "n"> r({n = len});
    r.assign(no_plugins<P>(), reversed * T(2));
    for (index_t a = 0; a < count; ++a)
        if (y(n = a) != x(n = 1 + a * step) * T(3) + z(n = 1 + a * step)) return false;
    for (index_t a = 0; a < len; ++a)
        if (r(n = a) != x(n = len - 1 - a) * T(2)) return false;
    return true;
}
}  // namespace

TEMPLATE_LIST_TEST_CASE("wide SIMD: transposing assignments are exact", "[wide]",
                        wide_policies) {
    for (auto [nb, nj] : {std::pair<index_t, index_t>{16, 16}, {64, 64}, {70, 45}, {33, 17},
                          {3, 40}, {1, 50}, {8, 300}, {17, 4200}}) {
        INFO(nb << "x" << nj);
        CHECK(transposes_exactly<float, TestType>(nb, nj));
        CHECK(transposes_exactly<std::int32_t, TestType>(nb, nj));
        CHECK(transposes_exactly<double, TestType>(nb, nj));
        CHECK(transposes_exactly<std::int64_t, TestType>(nb, nj));
    }
}

TEMPLATE_LIST_TEST_CASE("wide SIMD: strided and reversed reads are exact", "[wide]",
                        wide_policies) {
    for (index_t count : {0, 1, 5, 15, 16, 17, 33, 100, 1000})
        for (index_t step : {2, 3, 7, 100}) {
            INFO(count << " elements, step " << step);
            CHECK(gathers_exactly<float, TestType>(count, step));
            CHECK(gathers_exactly<std::int32_t, TestType>(count, step));
            CHECK(gathers_exactly<double, TestType>(count, step));
            CHECK(gathers_exactly<std::int64_t, TestType>(count, step));
        }
}

TEMPLATE_LIST_TEST_CASE("wide SIMD: a generated matrix product in register groups is exact",
                        "[wide]", wide_policies) {
    for (auto [ni, nj, nk] : {std::tuple<index_t, index_t, index_t>{67, 67, 67}, {64, 128, 9},
                              {5, 200, 31}, {13, 17, 8}, {100, 70, 300}}) {
        tensor<float, "b", "k"> a({b = ni, k = nk}, [](const auto& p) {
            return float((p[b] * 7 + p[k] * 3) % 11) - 5;
        });
        tensor<float, "k", "j"> m({k = nk, j = nj}, [](const auto& p) {
            return float((p[k] * 5 + p[j]) % 13) - 6;
        });
        tensor<float, "b", "j"> c({b = ni, j = nj});
        c.assign(no_plugins<TestType>(), loom::sum(a * m, k));
        bool exact = true;
        for (index_t r = 0; r < ni; ++r)
            for (index_t q = 0; q < nj; ++q) {
                float s = 0;
                for (index_t t = 0; t < nk; ++t) s += a(b = r, k = t) * m(k = t, j = q);
                exact = exact && c(b = r, j = q) == s;
            }
        INFO(ni << "x" << nj << "x" << nk);
        CHECK(exact);
    }
}

TEMPLATE_LIST_TEST_CASE("wide SIMD: NaN propagates through max, min and != in packs", "[wide]",
                        wide_policies) {
    // xsimd 8's AVX and AVX-512 `!=` is false for NaN lanes; loom must not rely on it.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    tensor<double, "n"> x({n = 37}, [&](const auto& p) { return p[n] % 5 == 2 ? nan : double(p[n]); });
    tensor<double, "n"> y({n = 37}, [](const auto& p) { return double(p[n] % 3); });
    tensor<double, "n"> hi({n = 37}), lo({n = 37}), hi2({n = 37});
    tensor<bool, "n"> ne({n = 37});
    hi.assign(TestType{}, loom::max(x, y));
    hi2.assign(TestType{}, loom::max(y, x));
    lo.assign(TestType{}, loom::min(y, x));
    ne.assign(TestType{}, x != x);
    for (index_t a = 0; a < 37; ++a) {
        INFO("element " << a);
        const bool is_nan = a % 5 == 2;
        CHECK(std::isnan(hi(n = a)) == is_nan);
        CHECK(std::isnan(hi2(n = a)) == is_nan);
        CHECK(std::isnan(lo(n = a)) == is_nan);
        CHECK(ne(n = a) == is_nan);
    }
    tensor<double, "b", "j"> m({b = 3, j = 40}, [&](const auto& p) {
        return p[b] == 1 && p[j] == 17 ? nan : double(p[j]);
    });
    tensor<double, "b"> top({b = 3});
    top.assign(TestType{}, loom::max(m, j));
    CHECK(top(b = 0) == 39);
    CHECK(std::isnan(top(b = 1)));
    CHECK(top(b = 2) == 39);
}

TEMPLATE_LIST_TEST_CASE("wide SIMD: a wrapping access whose lanes come back around", "[wide]",
                        wide_policies) {
    // j + k + 1 over 7 elements of j, with 8 (or 16) lanes along k: the first and last
    // lanes read the same element, the lanes between do not.
    for (index_t nj : {3, 7, 15}) {
        tensor<double, "j"> v({j = nj}, [](const auto& p) { return double(p[j] * 10 + 1); });
        tensor<double, "j", "k"> dst({j = nj, k = 17});
        dst.assign(TestType{}, loom::at(v, loom::wrap, j = j + k + 1));
        bool exact = true;
        for (index_t a = 0; a < nj; ++a)
            for (index_t c = 0; c < 17; ++c)
                exact = exact && dst(j = a, k = c) == double(((a + c + 1) % nj) * 10 + 1);
        INFO(nj << " elements");
        CHECK(exact);
    }
}
