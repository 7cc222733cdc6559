// Axes, axis sets, affine indices and shapes: compile-time facts and named extents.
#include "catch.hpp"

#include <type_traits>

using namespace loom;

namespace {
constexpr axis<"a"> a;
constexpr axis<"b"> b;
constexpr axis<"c"> c;
constexpr axis<"s", 4> s4;
using A = axis<"a">;
using B = axis<"b">;
using C = axis<"c">;
}  // namespace

TEST_CASE("axis names and static extents are compile-time facts", "[axes]") {
    STATIC_REQUIRE(A::name.view() == "a");
    STATIC_REQUIRE(A::static_extent == dynamic_extent);
    STATIC_REQUIRE(decltype(s4)::static_extent == 4);
    STATIC_REQUIRE(fixed_string("batch") == fixed_string("batch"));
    STATIC_REQUIRE(!(fixed_string("batch") == fixed_string("batc")));
    constexpr auto bound = (b = 3);
    STATIC_REQUIRE(bound.value == 3);
    STATIC_REQUIRE(decltype(bound)::name == fixed_string("b"));
}

TEST_CASE("axis set algebra matches names, keeps order, merges static extents", "[axes]") {
    using L = axis_list<A, B>;
    using R = axis_list<axis<"b", 5>, C>;
    STATIC_REQUIRE(std::is_same_v<union_t<L, R>, axis_list<A, axis<"b", 5>, C>>);
    STATIC_REQUIRE(std::is_same_v<union_t<R, L>, axis_list<axis<"b", 5>, C, A>>);
    STATIC_REQUIRE(std::is_same_v<intersection_t<L, R>, axis_list<B>>);
    STATIC_REQUIRE(std::is_same_v<difference_t<L, R>, axis_list<A>>);
    STATIC_REQUIRE(std::is_same_v<difference_t<R, L>, axis_list<C>>);
    STATIC_REQUIRE(index_of_v<"b", L> == 1);
    STATIC_REQUIRE(index_of_v<"z", L> == npos);
    STATIC_REQUIRE(same_axes_v<axis_list<A, B, C>, axis_list<C, A, B>>);
    STATIC_REQUIRE(!same_axes_v<axis_list<A, B>, axis_list<A, C>>);
    STATIC_REQUIRE(subset_v<axis_list<B>, L>);
    STATIC_REQUIRE(std::is_same_v<rename_t<L, "a", C>, axis_list<C, B>>);
    STATIC_REQUIRE(unique_axes_v<axis_list<A, B, C>>);
    CHECK(axis_names<axis_list<A, B, C>>() == "{a, b, c}");
}

TEST_CASE("affine indices combine axes with integer coefficients", "[axes]") {
    point<axis_list<A, B, C>> p;
    p.index[0] = 2, p.index[1] = 5, p.index[2] = 7;
    CHECK((a + b)(p) == 7);
    CHECK((a - b)(p) == -3);
    CHECK((2 * a + b - 1)(p) == 8);
    CHECK((a * 3 + c + 4)(p) == 17);
    CHECK((1 + c)(p) == 8);
    CHECK(((a + b) - (b + c))(p) == -5);
    STATIC_REQUIRE(std::is_same_v<decltype(a + b), affine_index<axis_list<A, B>>>);
}

TEST_CASE("points read indices by name", "[axes]") {
    point<axis_list<A, B>> p;
    p.index[0] = 4, p.index[1] = 9;
    CHECK(p[a] == 4);
    CHECK(p[b] == 9);
    CHECK(p.get<"b">() == 9);
}

TEST_CASE("shapes take extents by name in any order", "[shape]") {
    using L = axis_list<A, B, C>;
    shape<L> s1{a = 2, b = 3, c = 4};
    shape<L> s2{c = 4, a = 2, b = 3};
    CHECK(s1 == s2);
    CHECK(s1[a] == 2);
    CHECK(s1[b] == 3);
    CHECK(s1[c] == 4);
    CHECK(s1.size() == 24);
    CHECK(s1.to_string() == "{a: 2, b: 3, c: 4}");
    shape<axis_list<A, axis<"s", 4>>> s3{a = 5};  // static extents may be left out
    CHECK(s3[s4] == 4);
    CHECK(s3.size() == 20);
    CHECK(shape<axis_list<>>{}.size() == 1);
}

TEST_CASE("bad extents throw shape_error naming the axis", "[shape][errors]") {
    using L = axis_list<A, axis<"s", 4>>;
    CHECK_THROWS_AS((shape<L>{a = -1}), shape_error);
    CHECK_THROWS_WITH((shape<L>{a = 2, s4 = 5}), Catch::Contains("'s'") && Catch::Contains("4") &&
                                                     Catch::Contains("5"));
    CHECK_THROWS_WITH((shape<L>{a = -3}), Catch::Contains("'a'"));
}
