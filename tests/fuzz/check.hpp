// Running one fuzz case: build the tree's expression, evaluate it with seq (the oracle) and
// with every other policy into a destination with a random layout, compare within the
// tree's error bound, and on a failure shrink the tree and the run-time choices and print a
// reproducer in loom syntax.
#pragma once

#include "generator.hpp"

#include <cstring>
#include <exception>
#include <iostream>
#include <sstream>

namespace fuzz {

// The policies compared with seq. Scheduled ones use a schedule drawn from the tree's seed.
enum policy_id : int { p_seq, p_simd, p_simd_no_plugins, p_par, p_simd_scheduled, p_par_scheduled, policy_count };
inline const char* policy_label[] = {"seq", "simd", "simd without plug-ins", "par (2 threads)",
                                     "simd with a schedule", "par with a schedule"};

inline constexpr loom::par_policy two_threads{.threads = 2, .min_parallel_work = 1};

// Tile and unroll sizes a schedule draws from.
inline constexpr index_t tile_sizes[] = {1, 2, 3, 5, 8, 16, 33};

// A random valid schedule for destination axes `Dst`, for simd and for par.
template <class Dst, std::uint64_t S>
struct schedule {
    // (A scalar destination has no schedule; its policies run unscheduled.)
    using axes = std::conditional_t<Dst::size == 0, loom::axis_list<loom::axis<"i">>, Dst>;
    static constexpr std::size_t n = axes::size;
    using A = loom::axis_at_t<axes, std::size_t(S % n)>;
    using order = permuted_t<axes, mix(S)>;
    using last = loom::axis_at_t<order, n - 1>;
    static constexpr int kind = int((S >> 8) % 5);

    static index_t tile(const world& w) { return tile_sizes[w.pick(S, 60, 7)]; }
    static index_t unroll(const world& w) { return index_t(1 + w.pick(S, 61, 4)); }

    template <class... B>
    static auto order_of(loom::axis_list<B...>) { return loom::order(B{}...); }
    template <class... B>
    static std::string order_text(loom::axis_list<B...>) {
        std::string s = "loom::order(";
        int c = 0;
        ((s += (c++ ? ", " : "") + std::string(B::name.view())), ...);
        return s + ")";
    }

    static auto simd(const world& w) {
        if constexpr (kind == 0) return loom::simd.with(loom::vectorize(A{}));
        else if constexpr (kind == 1) return loom::simd.with(loom::vectorize(A{}), loom::unroll(A{}, unroll(w)));
        else if constexpr (kind == 2) return loom::simd.with(order_of(order{}));
        else if constexpr (kind == 3) return loom::simd.with(loom::tile(A{}, tile(w)));
        else return loom::simd.with(order_of(order{}), loom::vectorize(last{}), loom::tile(A{}, tile(w)));
    }
    static std::string simd_text(const world& w) {
        const std::string a(A::name.view()), z(last::name.view());
        switch (kind) {
        case 0: return "loom::simd.with(loom::vectorize(" + a + "))";
        case 1: return "loom::simd.with(loom::vectorize(" + a + "), loom::unroll(" + a + ", " + std::to_string(unroll(w)) + "))";
        case 2: return "loom::simd.with(" + order_text(order{}) + ")";
        case 3: return "loom::simd.with(loom::tile(" + a + ", " + std::to_string(tile(w)) + "))";
        default:
            return "loom::simd.with(" + order_text(order{}) + ", loom::vectorize(" + z + "), loom::tile(" + a + ", " +
                   std::to_string(tile(w)) + "))";
        }
    }
    static auto par(const world& w) {
        if constexpr (kind % 2 == 0 || n < 2) return two_threads.with(loom::parallel(A{}));
        else return two_threads.with(loom::parallel(A{}), loom::vectorize(last{}), loom::tile(last{}, tile(w)));
    }
    static std::string par_text(const world& w) {
        const std::string p = "loom::par_policy{.threads = 2, .min_parallel_work = 1}.with(loom::parallel(" +
                              std::string(A::name.view()) + ")";
        if (kind % 2 == 0 || n < 2) return p + ")";
        const std::string z(last::name.view());
        return p + ", loom::vectorize(" + z + "), loom::tile(" + z + ", " + std::to_string(tile(w)) + "))";
    }
};

// A tree as the root of a case: its destination's axis order, kind and schedule.
template <class R>
struct root {
    using T = value_t<R>;
    using axes = axes_t<R>;
    using dst_axes = permuted_t<axes, mix(R::seed ^ 0xd5)>;
    static constexpr bool dst_is_tensor = mix(R::seed ^ 0xd6) % 4 == 0;
    using sched = schedule<dst_axes, mix(R::seed ^ 0xd7)>;
    static constexpr std::uint64_t dst_seed = mix(R::seed ^ 0xd8);
};

// Union of linked axes (renames): every axis takes the extent of the lowest one linked to it.
inline void apply_links(world& w, const links& l) {
    for (std::size_t round = 0; round <= l.size(); ++round)
        for (auto [a, b] : l) {
            const int lo = std::min(a, b), hi = std::max(a, b);
            w.ext[hi] = w.ext[lo] = std::min(w.ext[lo], w.ext[hi]);
        }
}

// Work the reference does for tree R, roughly: its destination's size times its cost.
template <class R>
double work(const world& w) {
    return std::max(1.0, count<axes_t<R>>(w)) * R::cost(w);
}

// Picks extents for a case: from extent_choices, linked by renames, then the largest cut
// until the reference's work fits the budget.
template <class R>
void choose_extents(world& w, double budget) {
    for (int a = 0; a < axis_count; ++a)
        w.ext[a] = extent_choices[w.pick(0xe47, a, int(std::size(extent_choices)))];
    links l;
    R::link(l);
    apply_links(w, l);
    while (work<R>(w) > budget) {
        int big = 0;
        for (int a = 1; a < axis_count; ++a)
            if (w.ext[a] > w.ext[big]) big = a;
        if (w.ext[big] <= 1) break;
        w.ext[big] = w.ext[big] / 2;
        apply_links(w, l);
    }
}

// The outcome of one evaluation: values by destination point, or the exception thrown.
struct outcome {
    std::string threw;              // exception kind, empty when none
    std::vector<double> values;     // in the destination's type order
    bool wrote_outside = false;     // a view destination's padding changed
    bool wrote_before_throw = false;
};

// What went wrong in a case.
struct failure {
    int policy = -1;
    std::string message;
};

// Evaluates `e` into a fresh destination with policy `p`.
template <class R, class E, class P>
outcome evaluate(const world& w, const E& e, const P& policy) {
    using T = value_t<R>;
    using Dst = typename root<R>::dst_axes;
    constexpr std::size_t n = Dst::size;
    outcome out;
    const T sentinel = T(1234.5);
    const loom::shape<Dst> s = shape_of<Dst>(w);
    auto read_all = [&](const T* origin, const loom::index_array<n>& strides) {
        for_each_tuple(n, s.extent, [&](const index_t* p) {
            index_t at = 0;
            for (std::size_t a = 0; a < n; ++a) at += p[a] * strides[a];
            out.values.push_back(double(origin[at]));
        });
    };
    auto run = [&](auto&& assign) {
        try {
            assign();
        } catch (const loom::shape_error& ex) {
            out.threw = std::string("loom::shape_error: ") + ex.what();
        } catch (const loom::index_error& ex) {
            out.threw = std::string("loom::index_error: ") + ex.what();
        } catch (const std::exception& ex) {
            out.threw = std::string("std::exception: ") + ex.what();
        }
    };
    if constexpr (root<R>::dst_is_tensor) {
        // Empty (it takes the expression's extents) or already sized (it keeps its extents
        // where the expression only suggests them, as after x.at(i = 3 - i)).
        loom::basic_tensor<T, Dst> dst;
        if (w.pick(root<R>::dst_seed, 70, 2)) dst = loom::basic_tensor<T, Dst>(s);
        run([&] { dst.assign(policy, e); });
        if (out.threw.empty()) {
            bool same = true;
            for (std::size_t a = 0; a < n; ++a) same = same && dst.shape().extent[a] == s.extent[a];
            if (!same) {
                out.threw = "wrong destination extents:";
                for (std::size_t a = 0; a < n; ++a)
                    out.threw += " " + std::to_string(dst.shape().extent[a]) + "/" + std::to_string(s.extent[a]);
            }
            else read_all(dst.data(), dst.view().strides());
        }
    } else {
        const layout<n> L = make_layout<Dst>(w, root<R>::dst_seed, false);
        std::vector<T> buffer(std::size_t(std::max<index_t>(L.total, 1)), sentinel);
        loom::basic_tensor_view<T, Dst> dst(buffer.data() + L.offset, s, L.strides);
        run([&] { dst.assign(policy, e); });
        std::vector<char> inside(buffer.size(), 0);
        for_each_tuple(n, s.extent, [&](const index_t* p) {
            index_t at = L.offset;
            for (std::size_t a = 0; a < n; ++a) at += p[a] * L.strides[a];
            inside[std::size_t(at)] = 1;
        });
        for (std::size_t b = 0; b < buffer.size(); ++b) {
            const bool same = std::memcmp(&buffer[b], &sentinel, sizeof(T)) == 0;
            if (!inside[b] && !same) out.wrote_outside = true;
            if (inside[b] && !same && !out.threw.empty()) out.wrote_before_throw = true;
        }
        if (out.threw.empty()) read_all(buffer.data() + L.offset, L.strides);
    }
    return out;
}

// Where flat element `f` of the destination lies, by name: {i: 2, j: 0}.
template <class Dst>
std::string point_text(const world& w, std::size_t f) {
    const loom::shape<Dst> s = shape_of<Dst>(w);
    index_t idx[axis_count + 1] = {};
    for (std::size_t a = Dst::size; a-- > 0;) {
        idx[a] = index_t(f) % s.extent[a];
        f /= std::size_t(s.extent[a]);
    }
    std::string t = "{";
    [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((t += (K ? ", " : "") + std::string(loom::axis_at_t<Dst, K>::name.view()) + ": " + std::to_string(idx[K])), ...);
    }(std::make_index_sequence<Dst::size>{});
    return t + "}";
}

// Compares policy `p`'s outcome with seq's; empty when they agree.
template <class R>
std::string compare(const world& w, const outcome& want, const outcome& got, const estimate& bound) {
    using T = value_t<R>;
    if (got.wrote_outside) return "wrote outside the destination view";
    if (want.threw != got.threw)
        return "seq " + (want.threw.empty() ? std::string("returned") : "threw " + want.threw) + ", this " +
               (got.threw.empty() ? std::string("returned") : "threw " + got.threw);
    if (!got.threw.empty()) return got.wrote_before_throw ? "wrote the destination before throwing" : "";
    if (want.values.size() != got.values.size()) return "different element counts";
    const bool finite_bound = std::isfinite(bound.err) && std::isfinite(bound.mag);
    for (std::size_t f = 0; f < want.values.size(); ++f) {
        const double a = want.values[f], b = got.values[f];
        bool ok;
        if (std::isnan(a) || std::isnan(b)) ok = std::isnan(a) && std::isnan(b);
        else if (std::isinf(a) || std::isinf(b)) ok = a == b;
        else ok = !finite_bound || std::abs(a - b) <= 2 * bound.err + 4 * eps_of<T> * std::abs(a) + 1e-300;
        if (!ok) {
            std::ostringstream m;
            m.precision(17);
            m << "at " << point_text<typename root<R>::dst_axes>(w, f) << ": seq " << a << ", this " << b
              << " (allowed difference " << 2 * bound.err + 4 * eps_of<T> * std::abs(a) << ")";
            return m.str();
        }
    }
    return "";
}

// When set, every case prints its expression and what seq did.
inline bool verbose = false;

// Counts for the summary.
struct stats {
    long cases = 0, evaluations = 0, threw = 0, planted_errors = 0, planted_nans = 0, elements = 0;
};

// Runs policy `p` (any but seq) on `e`.
template <class R, class E>
outcome evaluate_with(const world& w, const E& e, int p) {
    using sched = typename root<R>::sched;
    switch (p) {
    case p_seq: return evaluate<R>(w, e, loom::seq);
    case p_simd: return evaluate<R>(w, e, loom::simd);
    case p_simd_no_plugins: return evaluate<R>(w, e, loom::simd_policy{.plugins = false});
    case p_par: return evaluate<R>(w, e, two_threads);
    case p_simd_scheduled:
        if constexpr (root<R>::dst_axes::size > 0) return evaluate<R>(w, e, sched::simd(w));
        else return evaluate<R>(w, e, loom::simd);
    default:
        if constexpr (root<R>::dst_axes::size > 0) return evaluate<R>(w, e, sched::par(w));
        else return evaluate<R>(w, e, two_threads);
    }
}

// The policy's spelling in a reproducer.
template <class R>
std::string policy_text(const world& w, int p) {
    using sched = typename root<R>::sched;
    constexpr bool has_axes = root<R>::dst_axes::size > 0;
    switch (p) {
    case p_simd: return "loom::simd";
    case p_simd_no_plugins: return "loom::simd_policy{.plugins = false}";
    case p_par: return "loom::par_policy{.threads = 2, .min_parallel_work = 1}";
    case p_simd_scheduled: return has_axes ? sched::simd_text(w) : "loom::simd";
    case p_par_scheduled: return has_axes ? sched::par_text(w) : "loom::par_policy{.threads = 2, .min_parallel_work = 1}";
    default: return "loom::seq";
    }
}

// Runs tree R in world `w` under the policies in `mask`; returns the first failure.
template <class R>
failure run_tree(world& w, unsigned mask, stats* st = nullptr) {
    w.reset();
    try {
        const auto e = R::build(w);
        const estimate bound = R::bound(w);
        const outcome want = evaluate<R>(w, e, loom::seq);
        if (st) {
            ++st->cases;
            st->threw += !want.threw.empty();
            st->planted_errors += w.planted_errors;
            st->planted_nans += w.planted_nans;
            st->elements += long(want.values.size());
        }
        if (verbose)
            std::cout << "case: " << R::text(w) << "  extents {i: " << w.ext[0] << ", j: " << w.ext[1] << ", k: " << w.ext[2]
                      << ", l: " << w.ext[3] << "}: " << (want.threw.empty() ? "ok" : want.threw) << "\n";
        if (want.wrote_outside) return {p_seq, "seq wrote outside the destination view"};
        if (!want.threw.empty() && want.wrote_before_throw) return {p_seq, "seq wrote the destination before throwing"};
        if (want.threw.empty() && w.planted_errors > 0 && !want.values.empty())
            return {p_seq, "an out-of-range gather index did not throw"};
        for (int p = 1; p < policy_count; ++p) {
            if (!(mask >> p & 1)) continue;
            if (st) ++st->evaluations;
            const std::string m = compare<R>(w, want, evaluate_with<R>(w, e, p), bound);
            if (!m.empty()) return {p, m};
        }
    } catch (const std::exception& ex) {
        // Building the expression threw: every policy would see the same.
        if (st) ++st->threw;
    }
    return {};
}

// The case as a program a user can compile.
template <class R>
std::string reproducer(world& w, const failure& f, const std::string& tree_name) {
    using T = value_t<R>;
    using Dst = typename root<R>::dst_axes;
    w.reset();
    (void)R::build(w);
    std::ostringstream s;
    s << "// loom fuzz reproducer: tree " << tree_name << ", seed " << w.seed << ", extents {i: " << w.ext[0]
      << ", j: " << w.ext[1] << ", k: " << w.ext[2] << ", l: " << w.ext[3] << "}\n"
      << "// " << policy_label[f.policy] << " differs from loom::seq: " << f.message << "\n"
      << "#include <loom/loom.hpp>\n#include <cmath>\n#include <iostream>\n#include <vector>\n\n"
      << "constexpr loom::axis<\"i\"> i;\nconstexpr loom::axis<\"j\"> j;\n"
      << "constexpr loom::axis<\"k\"> k;\nconstexpr loom::axis<\"l\"> l;\n\nint main() {\n";
    for (const auto& d : w.decls) s << (d.rfind("    for", 0) == 0 ? "" : "    ") << d << "\n";
    s << "    auto e = " << R::text(w) << ";\n";
    if (root<R>::dst_is_tensor) {
        const std::string type = "loom::basic_tensor<" + std::string(type_name<T>()) + ", loom::axes_of<" + names_text<Dst>() + ">>";
        if (w.pick(root<R>::dst_seed, 70, 2))
            s << "    " << type << " want(" << shape_text<Dst>(w) << ");\n    " << type << " got(want.shape());\n";
        else
            s << "    " << type << " want, got;\n";
    } else {
        world d = w;
        d.decls.clear();
        const auto L = make_layout<Dst>(w, root<R>::dst_seed, false);
        declare_view<T, Dst>(d, "want", L);
        declare_view<T, Dst>(d, "got", L);
        for (const auto& line : d.decls) s << "    " << line << "\n";
    }
    s << "    want.assign(loom::seq, e);\n"
      << "    got.assign(" << policy_text<R>(w, f.policy) << ", e);\n"
      << "    std::cout << want << \"\\n\" << got << \"\\n\";\n}\n";
    return s.str();
}

// Shrinks a failing case: first to the smallest failing subtree, then the run-time choices
// (dense layouts, no planted NaN or error, smaller extents), and returns the reproducer.
template <class R>
std::string shrink(world w, failure f, const std::string& tree_name) {
    const unsigned mask = 1u << f.policy;
    std::string out;
    bool descended = false;
    if constexpr (LOOM_FUZZ_SHRINK_TREES) R::subtrees([&]<class C>() {
        if (descended) return;
        world c = w;
        const failure g = run_tree<C>(c, mask);
        if (g.policy >= 0) {
            descended = true;
            out = shrink<C>(c, g, tree_name + " (subtree)");
        }
    });
    if (descended) return out;
    auto still_fails = [&](world& t) {
        const failure g = run_tree<R>(t, mask);
        if (g.policy < 0) return false;
        f = g;
        return true;
    };
    for (bool changed = true; changed;) {
        changed = false;
        for (bool simplified::*flag : {&simplified::dense, &simplified::no_nan, &simplified::no_error}) {
            if (w.simple.*flag) continue;
            world t = w;
            t.simple.*flag = true;
            if (still_fails(t)) w = t, changed = true;
        }
        links l;
        R::link(l);
        for (int a = 0; a < axis_count; ++a)
            for (index_t smaller : {index_t(0), index_t(1), index_t(2), index_t(3), w.ext[a] / 2, w.ext[a] - 1}) {
                if (smaller < 0 || smaller >= w.ext[a]) continue;
                world t = w;
                t.ext[a] = smaller;
                apply_links(t, l);
                if (t.ext[a] == smaller && still_fails(t)) {
                    w = t, changed = true;
                    break;
                }
            }
    }
    return reproducer<R>(w, f, tree_name);
}

// One compiled tree: runs a case from a seed, and shrinks it when it fails.
struct tree_entry {
    std::string name;
    int nodes;
    // Runs the case with run-time seed `seed`; returns the reproducer of a failure, or "".
    std::string (*run)(std::uint64_t seed, double budget, stats& st);
};

template <class R>
std::string run_entry(std::uint64_t seed, double budget, stats& st, const char* name) {
    world w;
    w.seed = seed;
    choose_extents<R>(w, budget);
    const failure f = run_tree<R>(w, (1u << policy_count) - 1, &st);
    if (f.policy < 0) return "";
    return shrink<R>(w, f, name);
}

}  // namespace fuzz
