// The leaves of fuzz trees: views with random layouts (transposed, padded, reversed,
// broadcast by a zero stride), tensors moved into the expression, generate(), and integer
// index tensors for gathers. Values come from a formula the reproducer prints.
#pragma once

#include "world.hpp"

#include <limits>

namespace fuzz {

// Where a view's elements lie in its buffer.
template <std::size_t N>
struct layout {
    index_t total = 1;                // buffer elements
    index_t offset = 0;               // index of element 0 in the buffer
    loom::index_array<N> strides{};   // element strides in type order
    bool zero_stride[N > 0 ? N : 1]{};
};

// A random layout for axes `Axes` (dense and in type order when the case is simplified):
// any memory order, padding, stride 2 on the innermost axis, negative strides, and (for
// read-only leaves) one axis broadcast through a zero stride.
template <class Axes>
layout<Axes::size> make_layout(const world& w, std::uint64_t node, bool allow_zero) {
    constexpr std::size_t n = Axes::size;
    layout<n> out;
    index_t e[n > 0 ? n : 1];
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((e[K] = w.ext[axis_id<loom::axis_at_t<Axes, K>>]), ...);
    }(std::make_index_sequence<n>{});
    std::size_t order[n > 0 ? n : 1];  // memory order, outermost first
    for (std::size_t a = 0; a < n; ++a) order[a] = a;
    const bool plain = w.simple.dense || w.pick(node, 1, 4) == 0;
    if (!plain)
        for (std::size_t a = n; a > 1; --a) std::swap(order[a - 1], order[std::size_t(w.pick(node, 2 + int(a), int(a)))]);
    const int zero_axis = !plain && allow_zero && n > 0 && w.pick(node, 9, 5) == 0 ? w.pick(node, 10, int(n)) : -1;
    index_t step = !plain && w.pick(node, 11, 3) == 0 ? 2 : 1;
    index_t span = step;
    for (std::size_t r = n; r-- > 0;) {
        const std::size_t a = order[r];
        if (int(a) == zero_axis) {
            out.zero_stride[a] = true;
            continue;
        }
        out.strides[a] = span;
        const index_t pad = plain ? 0 : index_t(w.pick(node, 20 + int(a), 4) == 0 ? 3 : 0);
        span *= e[a] + pad;
    }
    out.total = span;
    if (!plain)
        for (std::size_t a = 0; a < n; ++a)
            if (!out.zero_stride[a] && w.pick(node, 30 + int(a), 4) == 0) {
                out.offset += e[a] > 0 ? (e[a] - 1) * out.strides[a] : 0;
                out.strides[a] = -out.strides[a];
            }
    return out;
}

// Calls f(idx) for every index tuple of extents e[0..n).
template <class F>
void for_each_tuple(std::size_t n, const index_t* e, F&& f) {
    index_t idx[axis_count + 1] = {};
    for (std::size_t a = 0; a < n; ++a)
        if (e[a] == 0) return;
    for (;;) {
        f(static_cast<const index_t*>(idx));
        std::size_t a = n;
        while (a > 0 && ++idx[a - 1] == e[a - 1]) idx[--a] = 0;
        if (a == 0) return;
    }
}

// The value formula of a leaf: sin(c0 + c1*p1 + ...), in [-1, 1]; coefficients per leaf.
template <class Axes>
struct formula {
    double c[Axes::size + 1] = {};

    formula(const world& w, std::uint64_t node, const bool* constant_along = nullptr) {
        for (std::size_t a = 0; a <= Axes::size; ++a) c[a] = std::round(w.real(node, 50 + int(a), -2, 2) * 64) / 64;
        if (constant_along)
            for (std::size_t a = 0; a < Axes::size; ++a)
                if (constant_along[a]) c[a + 1] = 0;
    }
    double operator()(const index_t* p) const {
        double v = c[0];
        for (std::size_t a = 0; a < Axes::size; ++a) v += c[a + 1] * double(p[a]);
        return std::sin(v);
    }
    // The formula in C++, indices named by `index(a)`.
    template <class Name>
    std::string text(Name&& index) const {
        std::string s = "std::sin(" + num(c[0]);
        for (std::size_t a = 0; a < Axes::size; ++a)
            if (c[a + 1] != 0) s += " + " + num(c[a + 1]) + " * double(" + index(a) + ")";
        return s + ")";
    }
};

// The extents of `Axes` in type order, read from the world.
template <class Axes>
loom::shape<Axes> shape_of(const world& w) {
    loom::shape<Axes> s;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((s.extent[K] = w.ext[axis_id<loom::axis_at_t<Axes, K>>]), ...);
    }(std::make_index_sequence<Axes::size>{});
    return s;
}

// A leaf's name in the reproducer.
inline std::string leaf_name(const char* prefix, std::uint64_t node) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%s%04x", prefix, unsigned(node & 0xffff));
    return buf;
}

// Nested loops over `Axes` in a reproducer, with `body` innermost; indices are p<name>.
template <class Axes>
std::string loops_text(const world& w, const std::string& body) {
    std::string s, indent = "    ";
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((s += indent + "for (loom::index_t p" + std::string(loom::axis_at_t<Axes, K>::name.view()) +
               " = 0; p" + std::string(loom::axis_at_t<Axes, K>::name.view()) + " < " +
               std::to_string(w.ext[axis_id<loom::axis_at_t<Axes, K>>]) + "; ++p" +
               std::string(loom::axis_at_t<Axes, K>::name.view()) + ")\n",
          indent += "    "),
         ...);
    }(std::make_index_sequence<Axes::size>{});
    return s + indent + body + ";\n";
}
// `name(i = pi, j = pj)`: the element at the loop indices.
template <class Axes>
std::string element_text(const std::string& name) {
    std::string s = name + "(";
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((s += (K ? ", " : "") + std::string(loom::axis_at_t<Axes, K>::name.view()) + " = p" +
               std::string(loom::axis_at_t<Axes, K>::name.view())),
         ...);
    }(std::make_index_sequence<Axes::size>{});
    return s + ")";
}
template <class Axes>
std::string index_name(std::size_t a) {
    std::string s;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((K == a ? void(s = "p" + std::string(loom::axis_at_t<Axes, K>::name.view())) : void()), ...);
    }(std::make_index_sequence<Axes::size>{});
    return s;
}

// Declares `name`, a view with layout `L` over a fresh buffer, in the reproducer.
template <class T, class Axes, std::size_t N>
void declare_view(world& w, const std::string& name, const layout<N>& L) {
    std::string strides = "{";
    for (std::size_t a = 0; a < N; ++a) strides += (a ? ", " : "") + std::to_string(L.strides[a]);
    strides += "}";
    w.decls.push_back("std::vector<" + std::string(type_name<T>()) + "> " + name + "_buffer(" +
                      std::to_string(L.total) + ");");
    w.decls.push_back(std::string("loom::tensor_view<") + type_name<T>() +
                      (N ? ", " + names_text<Axes>() : "") + "> " + name + "(" + name + "_buffer.data() + " +
                      std::to_string(L.offset) + ", " + (N ? extents_text<Axes>(w.ext) : "loom::shape<loom::axis_list<>>{}") +
                      (N ? ", " + strides : "") + ");");
}

// A read-only view over axes `Axes` with a random layout and formula values; rarely one NaN.
template <class T, class Axes, std::uint64_t S>
struct leaf {
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 1;

    static auto build(world& w) {
        constexpr std::size_t n = Axes::size;
        const layout<n> L = make_layout<Axes>(w, S, true);
        T* origin = w.allocate<T>(std::size_t(L.total), T(0)) + L.offset;
        const formula<Axes> f(w, S, L.zero_stride);
        const loom::shape<Axes> s = shape_of<Axes>(w);
        const std::string name = leaf_name("x", S);
        declare_view<T, Axes>(w, name, L);
        for_each_tuple(n, s.extent, [&](const index_t* p) {
            index_t at = 0;
            for (std::size_t a = 0; a < n; ++a) at += p[a] * L.strides[a];
            origin[at] = T(f(p));
        });
        if (n > 0) w.decls.push_back(loops_text<Axes>(w, element_text<Axes>(name) + " = " + std::string(std::is_same_v<T, float> ? "float(" : "(") +
                                                            f.text([](std::size_t a) { return index_name<Axes>(a); }) + ")"));
        else w.decls.push_back(name + "() = " + f.text([](std::size_t) { return std::string(); }) + ";");
        // A NaN in one element (not through a zero stride, which would repeat it).
        if (!w.simple.no_nan && w.pick(S, 40, 10) == 0) {
            index_t at = 0;
            std::string where = name + "(";
            bool ok = true;
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                (([&] {
                     const index_t e = s.extent[K];
                     if (e == 0 || L.zero_stride[K]) ok = false;
                     const index_t p = e > 0 ? index_t(w.pick(S, 41 + int(K), int(e))) : 0;
                     at += p * L.strides[K];
                     where += (K ? ", " : "") + std::string(loom::axis_at_t<Axes, K>::name.view()) + " = " + std::to_string(p);
                 }()),
                 ...);
            }(std::make_index_sequence<n>{});
            if (ok) {
                origin[at] = std::numeric_limits<T>::quiet_NaN();
                w.decls.push_back(where + ") = NAN;");
                ++w.planted_nans;
            }
        }
        return loom::basic_tensor_view<const T, Axes>(origin, s, L.strides);
    }
    static std::string text(const world&) { return leaf_name("x", S); }
};

// `loom::shape<loom::axes_of<"i", "j">>{i = 3, j = 5}`: the world's extents of `Axes`.
template <class Axes>
std::string shape_text(const world& w) {
    return "loom::shape<loom::axes_of<" + names_text<Axes>() + ">>" +
           (Axes::size ? extents_text<Axes>(w.ext) : std::string("{}"));
}
// A generator lambda returning formula `f` as a T: `[](const auto& p) { return T(...); }`.
template <class T, class Axes>
std::string generator_text(const formula<Axes>& f) {
    return std::string("[](const auto& p) { return ") + type_name<T>() + "(" +
           f.text([](std::size_t a) { return "p.index[" + std::to_string(a) + "]"; }) + "); }";
}

// A tensor built in place and moved into the expression: tensor<T, ...>(extents, generator).
template <class T, class Axes, std::uint64_t S>
struct owned_leaf {
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 1;

    static auto build(world& w) {
        const formula<Axes> f(w, S);
        return loom::basic_tensor<T, Axes>(shape_of<Axes>(w), [f](const loom::point<Axes>& p) { return T(f(p.index)); });
    }
    static std::string text(const world& w) {
        return std::string("loom::tensor<") + type_name<T>() + (Axes::size ? ", " + names_text<Axes>() : "") + ">(" +
               shape_text<Axes>(w) + ", " + generator_text<T>(formula<Axes>(w, S)) + ")";
    }
};

// loom::generate(extents(...), f) with the leaf formula.
template <class T, class Axes, std::uint64_t S>
struct generated {
    static constexpr std::uint64_t seed = S;
    static constexpr int nodes = 1;

    static auto build(world& w) {
        const formula<Axes> f(w, S);
        return loom::generate(shape_of<Axes>(w), [f](const loom::point<Axes>& p) { return T(f(p.index)); });
    }
    static std::string text(const world& w) {
        return "loom::generate(" + shape_text<Axes>(w) + ", " + generator_text<T>(formula<Axes>(w, S)) + ")";
    }
};

// An integer view for gathers, values in [lo, hi) with lo/hi set by the gather; when asked,
// one element is out of range (the case must then throw loom::index_error everywhere).
template <class Axes, std::uint64_t S>
struct index_leaf {
    static constexpr std::uint64_t seed = S;

    static auto build(world& w, index_t lo, index_t hi, bool plant_error) {
        constexpr std::size_t n = Axes::size;
        const layout<n> L = make_layout<Axes>(w, S, true);
        index_t* origin = w.allocate<index_t>(std::size_t(L.total), 0) + L.offset;
        const formula<Axes> f(w, S, L.zero_stride);
        const loom::shape<Axes> s = shape_of<Axes>(w);
        const std::string name = leaf_name("ids", S);
        declare_view<index_t, Axes>(w, name, L);
        const index_t range = std::max<index_t>(hi - lo, 1);
        for_each_tuple(n, s.extent, [&](const index_t* p) {
            index_t at = 0;
            for (std::size_t a = 0; a < n; ++a) at += p[a] * L.strides[a];
            origin[at] = lo + std::min<index_t>(index_t(std::floor((f(p) * 0.5 + 0.5) * double(range))), range - 1);
        });
        w.decls.push_back(loops_text<Axes>(w, element_text<Axes>(name) + " = " + std::to_string(lo) +
                                                 " + std::min<loom::index_t>(loom::index_t(std::floor((" +
                                                 f.text([](std::size_t a) { return index_name<Axes>(a); }) +
                                                 " * 0.5 + 0.5) * " + num(double(range)) + ")), " +
                                                 std::to_string(range - 1) + ")"));
        if (plant_error && s.size() > 0) {
            index_t at = 0;
            std::string where = name + "(";
            [&]<std::size_t... K>(std::index_sequence<K...>) {
                (([&] {
                     const index_t p = index_t(w.pick(S, 41 + int(K), int(s.extent[K])));
                     at += p * L.strides[K];
                     where += (K ? ", " : "") + std::string(loom::axis_at_t<Axes, K>::name.view()) + " = " +
                              std::to_string(p);
                 }()),
                 ...);
            }(std::make_index_sequence<n>{});
            origin[at] = hi + index_t(w.pick(S, 49, 3));
            w.decls.push_back(where + ") = " + std::to_string(origin[at]) + ";  // out of range");
            ++w.planted_errors;
        }
        return loom::basic_tensor_view<const index_t, Axes>(origin, s, L.strides);
    }
    static std::string text(const world&) { return leaf_name("ids", S); }
};

}  // namespace fuzz
