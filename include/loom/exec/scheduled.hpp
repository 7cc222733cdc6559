/// \file
/// \brief The executor for a scheduled policy: the `simd` or `par` loop nest with the
/// planner's choices replaced by the schedule's directives (vectorised axis, loop order,
/// tiles, unrolling, parallel axis). Directives change the order of work, never a result.
#pragma once

#include <loom/exec/par.hpp>

LOOM_BEGIN_NAMESPACE

namespace detail {

template <class N, class = void>
struct reduced_axes_of {
    using type = axis_list<>;
};
template <class N>
struct reduced_axes_of<N, std::void_t<typename N::reduced_axes>> {
    using type = typename N::reduced_axes;
};

template <class Dst, class N>
using schedulable_axes_t =
    std::conditional_t<N::kind == node_kind::reduce,
                       union_t<Dst, typename reduced_axes_of<N>::type>, Dst>;

template <class Dst, class N, class D>
constexpr int check_directive() {
    return []<class... A>(axis_list<A...>*) {
        return (require_scheduled_axis<contains_v<A::name, schedulable_axes_t<Dst, N>>, A::name>() &
                ... & 1);
    }(static_cast<typename D::axes_type*>(nullptr));
}

template <class D>
std::string describe_directive(const D& d) {
    std::string names = loom::axis_names<typename D::axes_type>();
    switch (D::kind) {
        case directive_kind::vectorize: return "vectorize" + names;
        case directive_kind::parallel: return "parallel" + names;
        case directive_kind::tile: return "tile" + names + " by " + std::to_string(d.size);
        case directive_kind::unroll: return "unroll" + names + " by " + std::to_string(d.size);
        case directive_kind::order: return "order" + names;
    }
    return "";
}

}  // namespace detail

/// Runs `simd` or `par` loop nests as a schedule directs.
template <class Policy, class... D>
struct executor<scheduled_policy<Policy, D...>> {
    static_assert(std::is_same_v<Policy, simd_policy> || std::is_same_v<Policy, par_policy>,
                  "loom: schedules apply to loom::simd and loom::par");
    static_assert(!((D::kind == directive_kind::parallel) || ...) ||
                      std::is_same_v<Policy, par_policy>,
                  "loom: parallel() needs the loom::par policy");
    static_assert(((D::kind == directive_kind::parallel) + ... + 0) <= 1 &&
                      ((D::kind == directive_kind::vectorize) + ... + 0) <= 1 &&
                      ((D::kind == directive_kind::order) + ... + 0) <= 1,
                  "loom: a schedule gives each kind of directive at most once");

    /// Evaluates `e` into `dst` as the schedule directs; checks as `seq` does, first.
    template <class T, class Axes, class E, class... Fresh>
    static void assign(const scheduled_policy<Policy, D...>& sp,
                       const basic_tensor_view<T, Axes>& dst, const E& e, Fresh... fresh) {
        using N = std::remove_cvref_t<decltype(detail::node_ref(e))>;
        static_assert(((D::kind == directive_kind::tile &&
                        contains_v<axis_at_t<typename D::axes_type, 0>::name, Axes>) + ... + 0) <= 1,
                      "loom: a schedule tiles at most one destination axis");
        if constexpr ((detail::check_directive<Axes, N, D>() & ... & 1) == 0) {
            return;
        } else {
            detail::checked_assign(dst, e, [&](const auto& out, const auto& node) {
                detail::with_hoisted(sp.policy, out, node, false, nullptr,
                                     [&](const auto& b) { run(sp, out, b); });
            }, fresh...);
        }
    }
    /// The plan for evaluating `node` into a dense tensor of shape `s`, with the schedule.
    template <class T, class Axes, class N>
    LOOM_COLD static loop_plan plan(const scheduled_policy<Policy, D...>& sp,
                                    const shape<Axes>& s, const N& node) {
        loop_plan out = executor<Policy>::template plan<T>(sp.policy, s, node);
        out.plugin.clear();  // a schedule runs the generated nest
        for (auto& h : out.hoisted) h.per_row = false;  // and fills temporaries whole
        const basic_tensor_view<T, Axes> probe(nullptr, s);  // a layout: planning reads no element
        detail::with_hoisted(sp.policy, probe, node, true, nullptr, [&](const auto& b) {
            auto loop = configure(sp, probe, b);
            std::vector<std::string> loops;
            const std::size_t inner =
                loop.vec != npos ? loop.vec
                                 : (loop.ordered ? std::size_t(loop.order[Axes::size - 1])
                                                 : Axes::size - 1);
            const std::vector<std::string> names =
                detail::loop_names(detail::names_of<Axes>, s.extent, Axes::size, npos);
            if constexpr (Axes::size > 0) {
                for (std::size_t n = 0; n < Axes::size; ++n) {
                    const std::size_t k = loop.ordered ? std::size_t(loop.order[n]) : n;
                    if (k != inner) loops.push_back(names[k]);
                }
                loops.push_back(names[inner]);
            }
            out.loops = loops;
            out.vector_axis.clear();
            out.width = 1;
            if (loop.vec != npos) {
                out.vector_axis = detail::names_of<Axes>[loop.vec];
                out.width = detail::simd::width<T>;
            }
        });
        detail::apply(
            [&](const auto&... d) { (out.schedule.push_back(detail::describe_directive(d)), ...); },
            sp.directives);
        out.threads = 1;
        out.parallel_axis.clear();
        if constexpr (std::is_same_v<Policy, par_policy> && Axes::size > 0) {
            out.threads = detail::par_threads(sp.policy);
            std::size_t split = 0;
            detail::apply(
                [&](const auto&... d) {
                    auto one = [&](const auto& dir) {
                        using DT = std::remove_cvref_t<decltype(dir)>;
                        if constexpr (DT::kind == directive_kind::parallel)
                            split = index_of_v<axis_at_t<typename DT::axes_type, 0>::name, Axes>;
                    };
                    (one(d), ...);
                },
                sp.directives);
            out.parallel_axis = detail::names_of<Axes>[split];
            if (out.threads < 2 || s.extent[split] < 2) out.threads = 1;
        }
        return out;
    }

private:
    template <class T, class Axes, class B>
    static auto configure(const scheduled_policy<Policy, D...>& sp,
                          const basic_tensor_view<T, Axes>& out, const B& b) {
        detail::vector_loop<T, Axes, B, true> loop{out, b, detail::choose_vector_axis(out, b)};
        detail::apply(
            [&](const auto&... d) {
                auto one = [&](const auto& dir) {
                    using DT = std::remove_cvref_t<decltype(dir)>;
                    using A = typename DT::axes_type;
                    if constexpr (DT::kind == directive_kind::vectorize) {
                        static_assert(contains_v<axis_at_t<A, 0>::name, Axes>,
                                      "loom: vectorize() takes an axis of the destination");
                        loop.vec = index_of_v<axis_at_t<A, 0>::name, Axes>;
                    } else if constexpr (DT::kind == directive_kind::order) {
                        loop.ordered = true;
                        std::size_t n = 0;
                        [&]<class... X>(axis_list<X...>*) {
                            ((contains_v<X::name, Axes>
                                  ? void(loop.order[n++] = index_t(index_of_v<X::name, Axes>))
                                  : void()), ...);
                        }(static_cast<A*>(nullptr));
                        // axes the order leaves out keep the type's order, outside
                        for (std::size_t k = 0; k < Axes::size; ++k) {
                            bool listed = false;
                            for (std::size_t j = 0; j < n; ++j) listed = listed || loop.order[j] == index_t(k);
                            if (!listed) {
                                for (std::size_t j = n; j > 0; --j) loop.order[j] = loop.order[j - 1];
                                loop.order[0] = index_t(k);
                                ++n;
                            }
                        }
                    } else if constexpr (DT::kind == directive_kind::unroll) {
                        loop.unroll = std::size_t(std::max<index_t>(1, dir.size));
                    } else if constexpr (DT::kind == directive_kind::tile) {
                        if constexpr (!contains_v<axis_at_t<A, 0>::name, Axes>)
                            loop.reduction_block = std::max<index_t>(1, dir.size);
                    }
                };
                (one(d), ...);
            },
            sp.directives);
        constexpr bool vectorized = ((D::kind == directive_kind::vectorize) || ...);
        if constexpr (!vectorized && ((D::kind == directive_kind::order) || ...)) {
            // The order's innermost axis is the vector axis when it is contiguous.
            if constexpr (Axes::size > 0) {
                const std::size_t inner = std::size_t(loop.order[Axes::size - 1]);
                loop.vec = out.strides()[inner] == 1 && detail::vector_loop<T, Axes, B>::packs
                               ? inner
                               : npos;
            }
        }
        if constexpr (!detail::vector_loop<T, Axes, B>::packs) loop.vec = npos;
        loop.accumulate = detail::choose_accumulate(loop);
        return loop;
    }

    template <class T, class Axes, class B>
    static void run(const scheduled_policy<Policy, D...>& sp,
                    const basic_tensor_view<T, Axes>& out, const B& b) {
        const auto loop = configure(sp, out, b);
        if constexpr (Axes::size == 0) {
            loop.run(0, 0, 1);
        } else {
            std::size_t tile_axis = npos, split = npos;
            index_t tile_size = 0;
            detail::apply(
                [&](const auto&... d) {
                    auto one = [&](const auto& dir) {
                        using DT = std::remove_cvref_t<decltype(dir)>;
                        constexpr auto name = axis_at_t<typename DT::axes_type, 0>::name;
                        if constexpr (DT::kind == directive_kind::tile &&
                                      contains_v<name, Axes>) {
                            tile_axis = index_of_v<name, Axes>;
                            tile_size = std::max<index_t>(1, dir.size);
                        } else if constexpr (DT::kind == directive_kind::parallel) {
                            split = index_of_v<name, Axes>;
                        }
                    };
                    (one(d), ...);
                },
                sp.directives);
            index_array<Axes::size> from{}, to{};
            for (std::size_t k = 0; k < Axes::size; ++k) to[k] = out.shape().extent[k];
            // Tiles run one after another, the tile loop outermost within each box.
            auto run_tiles = [&](index_array<Axes::size> lo, index_array<Axes::size> hi) {
                if (tile_axis == npos) return loop.run_box(lo, hi);
                const index_t end = hi[tile_axis];
                for (index_t t = lo[tile_axis]; t < end; t += tile_size) {
                    index_array<Axes::size> tlo = lo, thi = hi;
                    tlo[tile_axis] = t;
                    thi[tile_axis] = std::min(end, t + tile_size);
                    loop.run_box(tlo, thi);
                }
            };
            std::size_t threads = 1;
            if constexpr (std::is_same_v<Policy, par_policy>) {
                threads = detail::par_threads(sp.policy);
                if (split == npos) split = 0;  // the outermost axis by default
            }
            if (threads < 2 || split == npos || out.shape().extent[split] < 2) {
                run_tiles(from, to);
                return;
            }
            const index_t extent = out.shape().extent[split];
            const std::size_t tasks = std::min<std::size_t>(std::size_t(extent), threads * 4);
            const index_t align = split == loop.vec ? index_t(detail::simd::width<T>) : 1;
            detail::thread_pool::instance().run(tasks, threads, [&](std::size_t i) {
                index_t lo = extent * index_t(i) / index_t(tasks);
                index_t hi = extent * index_t(i + 1) / index_t(tasks);
                lo -= lo % align;
                if (i + 1 < tasks) hi -= hi % align;
                if (lo >= hi) return;
                index_array<Axes::size> blo = from, bhi = to;
                blo[split] = lo;
                bhi[split] = hi;
                run_tiles(blo, bhi);
            });
        }
    }
};

LOOM_END_NAMESPACE
