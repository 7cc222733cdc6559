// Owning tensors and strided views: construction, access by name, value semantics, views
// (slice, rename, permute, split, merge), printing and run-time errors.
#include "catch.hpp"

#include <cstdint>
#include <sstream>
#include <vector>

using namespace loom;

namespace {
constexpr axis<"b"> b;
constexpr axis<"i"> i;
constexpr axis<"j"> j;
constexpr axis<"h"> h;
constexpr axis<"ho"> ho;
constexpr axis<"hi"> hi;
constexpr axis<"w"> w;
constexpr axis<"hw"> hw;
constexpr axis<"k", 3> k3;
}  // namespace

TEST_CASE("tensors are built from extents by name in any order", "[storage]") {
    tensor<float, "b", "i"> x({i = 3, b = 2});
    CHECK(x.extent(b) == 2);
    CHECK(x.extent(i) == 3);
    CHECK(x.size() == 6);
    CHECK(x.stride(i) == 1);  // the last axis of the type is contiguous
    CHECK(x.stride(b) == 3);
    for (index_t p = 0; p < x.size(); ++p) CHECK(x.data()[p] == 0.0f);
    CHECK(reinterpret_cast<std::uintptr_t>(x.data()) % storage_alignment == 0);

    tensor<int, "b", "i"> filled({b = 2, i = 2}, 7);
    CHECK(filled(b = 1, i = 1) == 7);

    tensor<int, "b", "i"> gen({b = 2, i = 3}, [](const auto& p) { return int(p[b] * 10 + p[i]); });
    CHECK(gen(b = 0, i = 2) == 2);
    CHECK(gen(i = 1, b = 1) == 11);  // index by name, any order
    CHECK(gen.data()[4] == 11);      // row-major in the type's order
}

TEST_CASE("tensors take nested braces, outermost for the first axis", "[storage]") {
    tensor<int, "b", "i"> x = {{1, 2, 3}, {4, 5, 6}};
    CHECK(x.extent(b) == 2);
    CHECK(x.extent(i) == 3);
    CHECK(x(b = 1, i = 0) == 4);
    tensor<int, "b"> v = {9, 8};
    CHECK(v(b = 1) == 8);
    CHECK_THROWS_AS((tensor<int, "b", "i">{{1, 2}, {3}}), shape_error);
    CHECK_THROWS_WITH((tensor<int, "b", "i">{{1, 2}, {3}}), Catch::Contains("'i'"));
}

TEST_CASE("static extents are filled in and checked", "[storage]") {
    tensor<float, "b", k3> x({b = 2});
    CHECK(x.extent(k3) == 3);
    CHECK(x.size() == 6);
    CHECK_THROWS_AS((tensor<float, "b", k3>({b = 2, k3 = 4})), shape_error);
    CHECK_THROWS_AS((tensor<int, k3>{1, 2}), shape_error);
}

TEST_CASE("tensors have value semantics", "[storage]") {
    tensor<int, "b"> x = {1, 2, 3};
    tensor<int, "b"> y = x;
    y(b = 0) = 42;
    CHECK(x(b = 0) == 1);
    tensor<int, "b"> z = std::move(y);
    CHECK(z(b = 0) == 42);
    CHECK(y.size() == 0);  // NOLINT: moved-from is empty
    x = z;
    CHECK(x(b = 0) == 42);
    x.fill(5);
    CHECK(x(b = 2) == 5);
}

TEST_CASE("at() checks bounds and names the axis", "[storage][errors]") {
    tensor<int, "b", "i"> x({b = 2, i = 3});
    x.at(b = 1, i = 2) = 3;
    CHECK(x(b = 1, i = 2) == 3);
    CHECK_THROWS_AS(x.at(b = 2, i = 0), index_error);
    CHECK_THROWS_AS(x.at(b = 0, i = -1), index_error);
    CHECK_THROWS_WITH(x.at(i = 3, b = 0),
                      Catch::Contains("'i'") && Catch::Contains("3") && Catch::Contains("extent 3"));
}

TEST_CASE("views over raw memory use named extents and any strides", "[storage]") {
    std::vector<float> raw(12);
    for (std::size_t n = 0; n < raw.size(); ++n) raw[n] = float(n);
    tensor_view<float, "b", "i"> dense(raw.data(), {b = 3, i = 4});
    CHECK(dense(b = 2, i = 1) == 9.0f);
    CHECK(dense.is_contiguous());
    // Column-major: b is contiguous.
    tensor_view<const float, "b", "i"> colmajor(raw.data(), {b = 3, i = 4}, {{1, 3}});
    CHECK(colmajor(b = 2, i = 1) == 5.0f);
    CHECK(!colmajor.is_contiguous());
    tensor_view<const float, "b", "i"> readonly = dense;
    CHECK(readonly(b = 0, i = 3) == 3.0f);
}

TEST_CASE("slices by name are views; integers drop the axis", "[storage]") {
    tensor<int, "b", "i"> x({b = 4, i = 5}, [](const auto& p) { return int(p[b] * 10 + p[i]); });
    auto rows = x.slice(b = range(1, 3));
    CHECK(rows.extent(b) == 2);
    CHECK(rows(b = 0, i = 4) == 14);
    auto strided = x.slice(i = range(0, 5, 2), b = range(1, 100));  // stop is clamped
    CHECK(strided.extent(i) == 3);
    CHECK(strided.extent(b) == 3);
    CHECK(strided(b = 2, i = 2) == 34);
    auto column = x.slice(i = 3);
    STATIC_REQUIRE(decltype(column)::rank == 1);
    CHECK(column(b = 2) == 23);
    column(b = 2) = -1;  // a view writes through
    CHECK(x(b = 2, i = 3) == -1);
    CHECK(x.slice(b = range(2, 2)).size() == 0);
    CHECK_THROWS_AS(x.slice(b = 4), index_error);
    CHECK_THROWS_AS(x.slice(b = range(-1, 2)), index_error);
    CHECK_THROWS_AS(x.slice(i = range(0, 2, 0)), shape_error);
}

TEST_CASE("rename and permute are views of the same elements", "[storage]") {
    tensor<int, "b", "i"> x({b = 2, i = 3}, [](const auto& p) { return int(p[b] * 10 + p[i]); });
    auto r = x.rename(i, j);
    STATIC_REQUIRE(std::is_same_v<decltype(r)::axes_type, axis_list<axis<"b">, axis<"j">>>);
    CHECK(r(j = 2, b = 1) == 12);
    auto t = x.permute(i, b);
    STATIC_REQUIRE(std::is_same_v<decltype(t)::axes_type, axis_list<axis<"i">, axis<"b">>>);
    CHECK(t.stride(b) == 3);
    CHECK(t.stride(i) == 1);
    CHECK(t(b = 1, i = 2) == 12);
    CHECK(t.data() == x.data());
}

TEST_CASE("split and merge axes by name where the strides allow", "[storage]") {
    tensor<int, "h", "w"> x({h = 6, w = 2}, [](const auto& p) { return int(p[h] * 10 + p[w]); });
    auto s = x.split(h, ho, hi = 3);
    STATIC_REQUIRE(std::is_same_v<decltype(s)::axes_type,
                                  axis_list<axis<"ho">, axis<"hi">, axis<"w">>>);
    CHECK(s.extent(ho) == 2);
    CHECK(s.extent(hi) == 3);
    for (index_t o = 0; o < 2; ++o)
        for (index_t n = 0; n < 3; ++n)
            for (index_t c = 0; c < 2; ++c) CHECK(s(ho = o, hi = n, w = c) == x(h = o * 3 + n, w = c));
    CHECK_THROWS_WITH(x.split(h, ho, hi = 4), Catch::Contains("'h'") && Catch::Contains("6"));

    auto m = x.merge(h, w, hw);
    CHECK(m.extent(hw) == 12);
    for (index_t n = 0; n < 12; ++n) CHECK(m(hw = n) == x(h = n / 2, w = n % 2));
    auto back = s.merge(ho, hi, h);
    for (index_t n = 0; n < 6; ++n) CHECK(back(h = n, w = 1) == x(h = n, w = 1));
    // Merging w (stride 1) as the outer axis of h (stride 2) cannot be a view: the error says so.
    CHECK_THROWS_WITH(x.merge(w, h, hw), Catch::Contains("'h'") && Catch::Contains("'w'"));
    auto t = x.permute(w, h);  // the order of a view's type does not matter, only its strides
    auto mt = t.merge(h, w, hw);
    for (index_t n = 0; n < 12; ++n) CHECK(mt(hw = n) == x(h = n / 2, w = n % 2));
}

TEST_CASE("a transposing copy follows the destination's axis order", "[storage]") {
    tensor<int, "b", "i"> x({b = 2, i = 3}, [](const auto& p) { return int(p[b] * 10 + p[i]); });
    tensor<int, "i", "b"> t = x;
    CHECK(t.stride(b) == 1);
    for (index_t p = 0; p < 2; ++p)
        for (index_t q = 0; q < 3; ++q) CHECK(t(b = p, i = q) == x(b = p, i = q));
    CHECK(t.data()[1] == 10);  // memory order is (i, b)
}

TEST_CASE("printing shows names, extents and values, abbreviated when long", "[storage][io]") {
    tensor<int, "b", "i"> x = {{1, 2, 3}, {4, 5, 6}};
    std::ostringstream os;
    os << x;
    CHECK(os.str() == "{b: 2, i: 3}\n[[1, 2, 3],\n [4, 5, 6]]");
    tensor<int, "i"> long_one({i = 20}, [](const auto& p) { return int(p[i]); });
    std::ostringstream os2;
    os2 << long_one;
    CHECK(os2.str() == "{i: 20}\n[0, 1, 2, ..., 17, 18, 19]");
    tensor<int, "b", "i"> long_rows({b = 9, i = 9}, [](const auto& p) { return int(p[b] * 9 + p[i]); });
    std::ostringstream os4;
    os4 << long_rows;
    CHECK(os4.str() ==
          "{b: 9, i: 9}\n"
          "[[0, 1, 2, ..., 6, 7, 8],\n"
          " [9, 10, 11, ..., 15, 16, 17],\n"
          " [18, 19, 20, ..., 24, 25, 26],\n"
          " ...,\n"
          " [54, 55, 56, ..., 60, 61, 62],\n"
          " [63, 64, 65, ..., 69, 70, 71],\n"
          " [72, 73, 74, ..., 78, 79, 80]]");
    tensor<int, "h", "b", "i"> cube({h = 2, b = 2, i = 2}, [](const auto& p) { return int(p[h] * 4 + p[b] * 2 + p[i]); });
    std::ostringstream os5;
    os5 << cube.permute(i, h, b);  // printed in the view's order: i outermost
    CHECK(os5.str() == "{i: 2, h: 2, b: 2}\n[[[0, 2],\n  [4, 6]],\n [[1, 3],\n  [5, 7]]]");
    tensor<float, "b"> empty({b = 0});
    std::ostringstream os3;
    os3 << empty;
    CHECK(os3.str() == "{b: 0}\n[]");
}
