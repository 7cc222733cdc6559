// The inner nodes of fuzz trees. A recipe is a type: its children are recipe types and its
// compile-time seed S fixes its shape; its run-time parameters (constants, offsets,
// boundaries' indices) come from the world. Each recipe can build its loom expression, print
// it in loom syntax, bound its magnitude and the disagreement reassociation may cause
// between policies, estimate the reference executor's work, and list its subtrees.
#pragma once

#include "leaves.hpp"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

namespace fuzz {

// A bound on |value| and on how far two correct policies may disagree.
struct estimate {
    double mag = 1;
    double err = 0;
};

template <class R>
using built_t = std::remove_cvref_t<decltype(R::build(std::declval<world&>()))>;
template <class R>
using axes_t = typename built_t<R>::axes_type;
template <class R>
using value_t = typename built_t<R>::value_type;

// Unit roundoff of T, and the slack allowed for a math function (xsimd's and libm's
// versions differ by a few ulps).
template <class T>
inline constexpr double eps_of = double(std::numeric_limits<T>::epsilon());
template <class T>
inline constexpr double ulps_of = 8 * eps_of<T>;

inline constexpr double inf = std::numeric_limits<double>::infinity();

// Pairs of axes a recipe makes equal in extent (a rename).
using links = std::vector<std::pair<int, int>>;

// What every leaf recipe shares: magnitude 1, exact, one unit of work, no subtrees.
template <class Leaf>
struct as_leaf : Leaf {
    static estimate bound(const world&) { return {1, 0}; }
    static double cost(const world&) { return 1; }
    static void link(links&) {}
    template <class F>
    static void subtrees(F&&) {}
};

// The product of the extents of `Axes`.
template <class Axes>
double count(const world& w) {
    double n = 1;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((n *= double(w.ext[axis_id<loom::axis_at_t<Axes, K>>])), ...);
    }(std::make_index_sequence<Axes::size>{});
    return n;
}

// An affine offset as text: " + 2", " - 1" or "".
inline std::string offset_text(index_t o) {
    return o == 0 ? "" : (o > 0 ? " + " : " - ") + std::to_string(o < 0 ? -o : o);
}

// ---- element-wise ------------------------------------------------------------------------

enum class unary_op { negate, sin, cos, tanh, abs, exp_tanh, sqrt_abs, log1p_abs, erf, user, count };

template <unary_op Op, class C, std::uint64_t S>
struct unary {
    using T = value_t<C>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 1 + C::nodes;

    static auto build(world& w) {
        auto c = C::build(w);
        if constexpr (Op == unary_op::negate) return -std::move(c);
        else if constexpr (Op == unary_op::sin) return loom::sin(std::move(c));
        else if constexpr (Op == unary_op::cos) return loom::cos(std::move(c));
        else if constexpr (Op == unary_op::tanh) return loom::tanh(std::move(c));
        else if constexpr (Op == unary_op::abs) return loom::abs(std::move(c));
        else if constexpr (Op == unary_op::exp_tanh) return loom::exp(loom::tanh(std::move(c)));
        else if constexpr (Op == unary_op::sqrt_abs) return loom::sqrt(loom::abs(std::move(c)) + T(1));
        else if constexpr (Op == unary_op::log1p_abs) return loom::log1p(loom::abs(std::move(c)));
        else if constexpr (Op == unary_op::erf) return loom::erf(std::move(c));
        else return loom::map([](T a) { return a / (T(1) + a * a); }, std::move(c));
    }
    static std::string text(const world& w) {
        const std::string c = C::text(w);
        switch (Op) {
        case unary_op::negate: return "-(" + c + ")";
        case unary_op::sin: return "loom::sin(" + c + ")";
        case unary_op::cos: return "loom::cos(" + c + ")";
        case unary_op::tanh: return "loom::tanh(" + c + ")";
        case unary_op::abs: return "loom::abs(" + c + ")";
        case unary_op::exp_tanh: return "loom::exp(loom::tanh(" + c + "))";
        case unary_op::sqrt_abs: return "loom::sqrt(loom::abs(" + c + ") + " + lit<T>(1) + ")";
        case unary_op::log1p_abs: return "loom::log1p(loom::abs(" + c + "))";
        case unary_op::erf: return "loom::erf(" + c + ")";
        default:
            return std::string("loom::map([](") + type_name<T>() + " a) { return a / (" + lit<T>(1) +
                   " + a * a); }, " + c + ")";
        }
    }
    static estimate bound(const world& w) {
        const estimate c = C::bound(w);
        const double u = ulps_of<T>, e = eps_of<T>;
        switch (Op) {
        case unary_op::negate:
        case unary_op::abs: return c;
        case unary_op::sin: return {std::min(c.mag, 1.0), c.err + u};
        case unary_op::cos:
        case unary_op::tanh: return {1, c.err + u};
        case unary_op::exp_tanh: return {2.72, 2.72 * (c.err + 2 * u)};
        case unary_op::sqrt_abs: return {std::sqrt(c.mag + 1), 0.5 * c.err + (c.mag + 2) * u};
        case unary_op::log1p_abs: return {std::log1p(c.mag), c.err + (std::log1p(c.mag) + 1) * u};
        case unary_op::erf: return {1, 1.13 * c.err + u};
        default: return {0.5, c.err + 4 * e};
        }
    }
    static double cost(const world& w) { return 1 + C::cost(w); }
    static void link(links& l) { C::link(l); }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<C>(); }
};

enum class binary_op { plus, minus, times, max, min, divide, user, count };

template <binary_op Op, class A, class B, std::uint64_t S>
struct binary {
    using T = value_t<A>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 1 + A::nodes + B::nodes;

    static auto build(world& w) {
        auto a = A::build(w);
        auto b = B::build(w);
        if constexpr (Op == binary_op::plus) return std::move(a) + std::move(b);
        else if constexpr (Op == binary_op::minus) return std::move(a) - std::move(b);
        else if constexpr (Op == binary_op::times) return std::move(a) * std::move(b);
        else if constexpr (Op == binary_op::max) return loom::max(std::move(a), std::move(b));
        else if constexpr (Op == binary_op::min) return loom::min(std::move(a), std::move(b));
        else if constexpr (Op == binary_op::divide) return std::move(a) / (T(2) + loom::cos(std::move(b)));
        else return loom::map([](T x, T y) { return x * T(0.5) - y; }, std::move(a), std::move(b));
    }
    static std::string text(const world& w) {
        const std::string a = A::text(w), b = B::text(w);
        switch (Op) {
        case binary_op::plus: return "(" + a + " + " + b + ")";
        case binary_op::minus: return "(" + a + " - " + b + ")";
        case binary_op::times: return "(" + a + " * " + b + ")";
        case binary_op::max: return "loom::max(" + a + ", " + b + ")";
        case binary_op::min: return "loom::min(" + a + ", " + b + ")";
        case binary_op::divide: return "(" + a + " / (" + lit<T>(2) + " + loom::cos(" + b + ")))";
        default:
            return std::string("loom::map([](") + type_name<T>() + " x, " + type_name<T>() + " y) { return x * " +
                   lit<T>(0.5) + " - y; }, " + a + ", " + b + ")";
        }
    }
    static estimate bound(const world& w) {
        const estimate a = A::bound(w), b = B::bound(w);
        const double e = eps_of<T>;
        switch (Op) {
        case binary_op::plus:
        case binary_op::minus: return {a.mag + b.mag, a.err + b.err + e * (a.mag + b.mag)};
        case binary_op::times:
            return {a.mag * b.mag, a.err * b.mag + b.err * a.mag + a.err * b.err + e * a.mag * b.mag};
        case binary_op::max:
        case binary_op::min: return {std::max(a.mag, b.mag), std::max(a.err, b.err)};
        case binary_op::divide: return {a.mag, a.err + a.mag * (b.err + ulps_of<T>) + 4 * e * a.mag};
        default: return {0.5 * a.mag + b.mag, 0.5 * a.err + b.err + 2 * e * (a.mag + b.mag)};
        }
    }
    static double cost(const world& w) { return 1 + A::cost(w) + B::cost(w); }
    static void link(links& l) { A::link(l), B::link(l); }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<A>(), f.template operator()<B>(); }
};

enum class scalar_op { add, subtract, scale, divide, count };

// An expression and a run-time constant.
template <scalar_op Op, class C, std::uint64_t S>
struct with_scalar {
    using T = value_t<C>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 1 + C::nodes;

    static double constant(const world& w) {
        const double c = std::round(w.real(S, 1, 0.5, 2) * 16) / 16;
        return Op != scalar_op::divide && w.pick(S, 2, 2) ? -c : c;
    }
    static auto build(world& w) {
        const T c = T(constant(w));
        auto e = C::build(w);
        if constexpr (Op == scalar_op::add) return c + std::move(e);
        else if constexpr (Op == scalar_op::subtract) return std::move(e) - c;
        else if constexpr (Op == scalar_op::scale) return c * std::move(e);
        else return std::move(e) / c;
    }
    static std::string text(const world& w) {
        const std::string c = lit<T>(constant(w)), e = C::text(w);
        switch (Op) {
        case scalar_op::add: return "(" + c + " + " + e + ")";
        case scalar_op::subtract: return "(" + e + " - " + c + ")";
        case scalar_op::scale: return "(" + c + " * " + e + ")";
        default: return "(" + e + " / " + c + ")";
        }
    }
    static estimate bound(const world& w) {
        const estimate e = C::bound(w);
        const double c = std::abs(constant(w));
        if constexpr (Op == scalar_op::add || Op == scalar_op::subtract)
            return {e.mag + c, e.err + eps_of<T> * (e.mag + c)};
        else if constexpr (Op == scalar_op::scale) return {e.mag * c, e.err * c + eps_of<T> * e.mag * c};
        else return {e.mag / c, e.err / c + eps_of<T> * e.mag / c};
    }
    static double cost(const world& w) { return 1 + C::cost(w); }
    static void link(links& l) { C::link(l); }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<C>(); }
};

// where(p > q, a, b) with leaves p and q: exact conditions, so no policy can flip them.
template <class P, class Q, class A, class B, std::uint64_t S>
struct select {
    using T = value_t<A>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 3 + A::nodes + B::nodes;

    static auto build(world& w) {
        auto p = P::build(w);
        auto q = Q::build(w);
        auto a = A::build(w);
        auto b = B::build(w);
        return loom::where(std::move(p) > std::move(q), std::move(a), std::move(b));
    }
    static std::string text(const world& w) {
        return "loom::where(" + P::text(w) + " > " + Q::text(w) + ", " + A::text(w) + ", " + B::text(w) + ")";
    }
    static estimate bound(const world& w) {
        const estimate a = A::bound(w), b = B::bound(w);
        return {std::max(a.mag, b.mag), std::max(a.err, b.err)};
    }
    static double cost(const world& w) { return 3 + A::cost(w) + B::cost(w); }
    static void link(links& l) { A::link(l), B::link(l); }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<A>(), f.template operator()<B>(); }
};

// ---- reductions --------------------------------------------------------------------------

enum class reduction_op { sum, mean, max, min, logsumexp, prod_tanh, sum_squares, count };

// A reduction of C over the axes `Red` (one or two of C's axes).
template <reduction_op Op, class C, class Red, std::uint64_t S>
struct reduction {
    using T = value_t<C>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 1 + C::nodes;

    template <std::size_t... K>
    static auto build_over(world& w, std::index_sequence<K...>) {
        auto c = C::build(w);
        if constexpr (Op == reduction_op::sum) return loom::sum(std::move(c), loom::axis_at_t<Red, K>{}...);
        else if constexpr (Op == reduction_op::mean) return loom::mean(std::move(c), loom::axis_at_t<Red, K>{}...);
        else if constexpr (Op == reduction_op::max) return loom::max(std::move(c), loom::axis_at_t<Red, K>{}...);
        else if constexpr (Op == reduction_op::min) return loom::min(std::move(c), loom::axis_at_t<Red, K>{}...);
        else if constexpr (Op == reduction_op::logsumexp) return loom::logsumexp(std::move(c), loom::axis_at_t<Red, K>{}...);
        else if constexpr (Op == reduction_op::prod_tanh) return loom::prod(loom::tanh(std::move(c)), loom::axis_at_t<Red, K>{}...);
        else return loom::reduce(std::move(c), loom::axis_at_t<Red, K>{}..., T(0), [](T s, T v) { return s + v * v; });
    }
    static auto build(world& w) { return build_over(w, std::make_index_sequence<Red::size>{}); }
    static std::string text(const world& w) {
        std::string axes;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((axes += ", " + std::string(loom::axis_at_t<Red, K>::name.view())), ...);
        }(std::make_index_sequence<Red::size>{});
        const std::string c = C::text(w);
        switch (Op) {
        case reduction_op::sum: return "loom::sum(" + c + axes + ")";
        case reduction_op::mean: return "loom::mean(" + c + axes + ")";
        case reduction_op::max: return "loom::max(" + c + axes + ")";
        case reduction_op::min: return "loom::min(" + c + axes + ")";
        case reduction_op::logsumexp: return "loom::logsumexp(" + c + axes + ")";
        case reduction_op::prod_tanh: return "loom::prod(loom::tanh(" + c + ")" + axes + ")";
        default:
            return "loom::reduce(" + c + axes + ", " + lit<T>(0) + ", [](" + type_name<T>() + " s, " + type_name<T>() +
                   " v) { return s + v * v; })";
        }
    }
    static estimate bound(const world& w) {
        const estimate c = C::bound(w);
        const double n = count<Red>(w), e = eps_of<T>;
        // Summation in any order errs by at most (n - 1) eps times the sum of magnitudes.
        switch (Op) {
        case reduction_op::sum: return {n * c.mag, n * c.err + 2 * n * e * n * c.mag};
        case reduction_op::mean:
            if (n == 0) return {inf, inf};
            return {c.mag, c.err + 2 * n * e * c.mag + 2 * e * c.mag};
        case reduction_op::max:
        case reduction_op::min:
            if (n == 0) return {inf, inf};
            return c;
        case reduction_op::logsumexp: {
            if (n == 0) return {inf, inf};
            const double m = c.mag + std::log(n);
            return {m, c.err + (2 * n + 4) * e * (m + 1) + ulps_of<T> * (m + 1)};
        }
        case reduction_op::prod_tanh: return {1, n * (c.err + ulps_of<T> + 2 * e)};
        default:
            return {n * c.mag * c.mag, n * (2 * c.mag * c.err + c.err * c.err) + 2 * n * e * n * c.mag * c.mag};
        }
    }
    static double cost(const world& w) { return 1 + std::max(1.0, count<Red>(w)) * (1 + C::cost(w)); }
    static void link(links& l) { C::link(l); }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<C>(); }
};

enum class reuse_form { minus_max, minus_mean, times_sum, count };

// An operand combined with a reduction of itself (`c - max(c, x)`, the shape of softmax and
// normalisation): the planner may keep the terms the reduction computes and read them back.
template <reuse_form Form, class C, class X, std::uint64_t S>
struct reused {
    using T = value_t<C>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 2 + C::nodes;

    // C is built twice (a tensor that C builds is moved into the expression, never named):
    // equal leaves then give equal operands, and tensors moved in give distinct ones.
    static auto build(world& w) {
        if constexpr (Form == reuse_form::minus_max) return C::build(w) - loom::max(C::build(w), X{});
        else if constexpr (Form == reuse_form::minus_mean) return C::build(w) - loom::mean(C::build(w), X{});
        else return C::build(w) * loom::sum(C::build(w), X{});
    }
    static std::string text(const world& w) {
        const std::string c = C::text(w), x = std::string(X::name.view());
        switch (Form) {
        case reuse_form::minus_max: return "(" + c + " - loom::max(" + c + ", " + x + "))";
        case reuse_form::minus_mean: return "(" + c + " - loom::mean(" + c + ", " + x + "))";
        default: return "(" + c + " * loom::sum(" + c + ", " + x + "))";
        }
    }
    static estimate bound(const world& w) {
        const estimate c = C::bound(w);
        const double n = count<loom::axis_list<X>>(w), e = eps_of<T>;
        if (n == 0) return {inf, inf};
        if constexpr (Form == reuse_form::times_sum) {
            const estimate r{n * c.mag, n * c.err + 2 * n * e * n * c.mag};
            return {c.mag * r.mag, c.mag * r.err + r.mag * c.err + c.err * r.err + 2 * e * c.mag * r.mag};
        } else {
            return {2 * c.mag, 2 * c.err + (2 * n + 4) * e * c.mag};
        }
    }
    static double cost(const world& w) { return 2 + (2 + count<loom::axis_list<X>>(w)) * C::cost(w); }
    static void link(links& l) { C::link(l); }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<C>(); }
};

// cast<T>(argmax(leaf, x)) or argmin: exact indices, so only leaves (exact values) feed it.
template <bool Max, class L, class X, std::uint64_t S>
struct arg_reduction {
    using T = value_t<L>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 2;

    static auto build(world& w) {
        if constexpr (Max) return loom::cast<T>(loom::argmax(L::build(w), X{}));
        else return loom::cast<T>(loom::argmin(L::build(w), X{}));
    }
    static std::string text(const world& w) {
        return std::string("loom::cast<") + type_name<T>() + ">(loom::" + (Max ? "argmax(" : "argmin(") + L::text(w) +
               ", " + std::string(X::name.view()) + "))";
    }
    static estimate bound(const world& w) { return {double(w.ext[axis_id<X>]), 0}; }
    static double cost(const world& w) { return 2 + double(w.ext[axis_id<X>]); }
    static void link(links&) {}
    template <class F>
    static void subtrees(F&& f) { f.template operator()<L>(); }
};

// ---- access ------------------------------------------------------------------------------

enum class shift_form { add, reverse, stride2, stencil, move, count };

// The boundary policy with index B: zero, clamp, wrap, checked.
template <int B>
using boundary_t = std::tuple_element_t<B, std::tuple<loom::zero_boundary, loom::clamp_boundary,
                                                      loom::wrap_boundary, loom::checked_boundary>>;
inline const char* boundary_names[] = {"loom::zero", "loom::clamp", "loom::wrap", "loom::checked"};

// at(C, boundary, X = <affine>): X + o, o - X, 2X + o, X + Y + o or Y + o, where Y is an axis
// C lacks. A form that introduces Y multiplies by a leaf K over Y, which gives Y its extent.
template <shift_form Form, int Boundary, class C, class X, class Y, class K, std::uint64_t S>
struct shift {
    using T = value_t<C>;
    static constexpr std::uint64_t seed = S;
    static constexpr bool uses_y = Form == shift_form::stencil || Form == shift_form::move;
    static constexpr int nodes = 1 + C::nodes + (uses_y ? 1 : 0);

    static index_t offset(const world& w) {
        if (Form == shift_form::reverse) return index_t(w.pick(S, 1, int(w.ext[axis_id<X>]) + 4)) - 1;
        return index_t(w.pick(S, 1, 7)) - 3;
    }
    static auto index(const world& w) {
        const index_t o = offset(w);
        constexpr X x{};
        constexpr Y y{};
        if constexpr (Form == shift_form::add) return x + o;
        else if constexpr (Form == shift_form::reverse) return o - x;
        else if constexpr (Form == shift_form::stride2) return 2 * x + o;
        else if constexpr (Form == shift_form::stencil) return x + y + o;
        else return y + o;
    }
    static auto build(world& w) {
        auto c = C::build(w);
        auto a = loom::at(std::move(c), boundary_t<Boundary>{}, X{} = index(w));
        if constexpr (uses_y) return std::move(a) * K::build(w);
        else return a;
    }
    static std::string text(const world& w) {
        const index_t o = offset(w);
        const std::string x(X::name.view()), y(Y::name.view());
        std::string idx;
        switch (Form) {
        case shift_form::add: idx = x + offset_text(o); break;
        case shift_form::reverse: idx = std::to_string(o) + " - " + x; break;
        case shift_form::stride2: idx = "2 * " + x + offset_text(o); break;
        case shift_form::stencil: idx = x + " + " + y + offset_text(o); break;
        default: idx = y + offset_text(o); break;
        }
        std::string s = "loom::at(" + C::text(w) + ", " + boundary_names[Boundary] + ", " + x + " = " + idx + ")";
        if (uses_y) s = "(" + s + " * " + K::text(w) + ")";
        return s;
    }
    static estimate bound(const world& w) {
        const estimate c = C::bound(w);
        if (uses_y) return {c.mag, c.err + eps_of<T> * c.mag};
        return c;
    }
    static double cost(const world& w) { return 2 + C::cost(w); }
    static void link(links& l) { C::link(l); }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<C>(); }
};

// at(C, boundary, X = ids): a gather along C's axis X by an integer leaf over axes `IdAxes`.
// Checked gathers draw ids in range (or plant one out of range: every policy must then
// throw loom::index_error before writing); the others draw ids a little outside too.
template <int Boundary, class C, class X, class Ids, std::uint64_t S>
struct gather {
    using T = value_t<C>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 2 + C::nodes;

    static auto build(world& w) {
        auto c = C::build(w);
        const index_t e = w.ext[axis_id<X>];
        const bool checked = Boundary == 3;
        const bool plant = checked && !w.simple.no_error && w.pick(S, 3, 6) == 0;
        auto ids = checked ? Ids::build(w, 0, e, plant) : Ids::build(w, -2, e + 2, false);
        return loom::at(std::move(c), boundary_t<Boundary>{}, X{} = std::move(ids));
    }
    static std::string text(const world& w) {
        return "loom::at(" + C::text(w) + ", " + boundary_names[Boundary] + ", " + std::string(X::name.view()) +
               " = " + Ids::text(w) + ")";
    }
    static estimate bound(const world& w) { return C::bound(w); }
    static double cost(const world& w) { return 2 + C::cost(w); }
    static void link(links& l) { C::link(l); }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<C>(); }
};

// rename(C, X, Y) for an axis Y that C lacks; X and Y get one extent.
template <class C, class X, class Y, std::uint64_t S>
struct renamed {
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 1 + C::nodes;

    static auto build(world& w) { return loom::rename(C::build(w), X{}, Y{}); }
    static std::string text(const world& w) {
        return "loom::rename(" + C::text(w) + ", " + std::string(X::name.view()) + ", " + std::string(Y::name.view()) + ")";
    }
    static estimate bound(const world& w) { return C::bound(w); }
    static double cost(const world& w) { return C::cost(w); }
    static void link(links& l) {
        C::link(l);
        l.emplace_back(axis_id<X>, axis_id<Y>);
    }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<C>(); }
};

// s * (1 - s) with s = share(C): one subexpression used twice.
template <class C, std::uint64_t S>
struct shared {
    using T = value_t<C>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 2 + C::nodes;

    static auto build(world& w) {
        auto s = loom::share(C::build(w));
        w.decls.push_back("auto " + leaf_name("s", S) + " = loom::share(" + C::text(w) + ");");
        return s * (T(1) - s);
    }
    static std::string text(const world&) {
        const std::string s = leaf_name("s", S);
        return "(" + s + " * (" + lit<T>(1) + " - " + s + "))";
    }
    static estimate bound(const world& w) {
        const estimate c = C::bound(w);
        return {c.mag * (1 + c.mag), c.err * (1 + 2 * c.mag + c.err) + 3 * eps_of<T> * c.mag * (1 + c.mag)};
    }
    static double cost(const world& w) { return 3 + 2 * C::cost(w); }
    static void link(links& l) { C::link(l); }
    template <class F>
    static void subtrees(F&& f) { f.template operator()<C>(); }
};

// sum(a * b, k) of two rank-2 leaves sharing k: the GEMM shape a plug-in may take, with the
// leaves' random layouts (the plug-in must decline what it cannot do).
template <class A, class B, class Kx, std::uint64_t S>
struct contraction {
    using T = value_t<A>;
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 3;

    static auto build(world& w) {
        auto a = A::build(w);
        auto b = B::build(w);
        return loom::sum(std::move(a) * std::move(b), Kx{});
    }
    static std::string text(const world& w) {
        return "loom::sum(" + A::text(w) + " * " + B::text(w) + ", " + std::string(Kx::name.view()) + ")";
    }
    static estimate bound(const world& w) {
        const double n = double(w.ext[axis_id<Kx>]);
        return {n, 2 * n * eps_of<T> * (n + 1)};
    }
    static double cost(const world& w) { return 1 + 3 * double(w.ext[axis_id<Kx>]); }
    static void link(links&) {}
    template <class F>
    static void subtrees(F&& f) { f.template operator()<A>(), f.template operator()<B>(); }
};

}  // namespace fuzz
