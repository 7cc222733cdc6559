/// \file
/// \brief The `par` executor: the `simd` executor's loop nest, split across threads along
/// the outermost axis that has enough iterations (one thread for small work).
#pragma once

#include <loom/exec/simd.hpp>
#include <loom/exec/thread_pool.hpp>

#include <algorithm>
#include <atomic>
#include <string_view>

LOOM_BEGIN_NAMESPACE

/// The threaded SIMD policy: `y.assign(loom::par, e)`, or `loom::par_policy{2}` for two
/// threads. Results equal `simd`'s exactly (each element is computed by one thread).
struct par_policy {
    static constexpr const char* name = "par";  ///< Name in explain() output.
    std::size_t threads = 0;  ///< Threads to use; 0 means one per hardware thread.
    bool plugins = true;      ///< Let registered tuned kernels (GEMM) replace matching patterns.
    /// Jobs of fewer scalar operations than this run on the calling thread alone (starting
    /// threads costs more than they save); tests lower it to split small jobs.
    index_t min_parallel_work = index_t{1} << 20;

    /// This policy with a schedule: `loom::par.with(loom::parallel(b), loom::vectorize(j))`.
    template <class... D>
    constexpr auto with(D... d) const {
        return with_schedule(*this, d...);
    }
};
/// The threaded SIMD policy with one thread per hardware thread.
inline constexpr par_policy par{};

namespace detail {

// Scalar operations per destination element, roughly: reductions multiply their child's.
template <class N>
index_t work_per_element(const N& n) {
    if constexpr (N::kind == node_kind::map) {
        index_t w = 1;
        detail::apply([&](const auto&... c) { ((w += work_per_element(c)), ...); }, n.children);
        return w;
    } else if constexpr (N::kind == node_kind::reduce) {
        return 1 + n.extents.size() * work_per_element(n.child);
    } else {
        return 1;
    }
}

// Threads a par policy asks for.
inline std::size_t par_threads(const par_policy& policy) {
    return policy.threads ? policy.threads : thread_pool::instance().workers() + 1;
}

// Where par splits an assignment: the axis position, its name and the thread count.
struct split_choice {
    std::size_t position = npos;
    std::size_t threads = 1;
    std::string_view axis;
};

// The outermost axis with at least one iteration per thread, preferring others to the axis
// packs run along; none (one thread) for work below the policy's threshold. Not a template,
// like run_chunks, and not inlined: compiled once, not into each expression's assignment.
LOOM_NOINLINE inline split_choice choose_split(const par_policy& policy,
                                               const index_t* extents,
                                               const std::string_view* names, std::size_t rank,
                                               index_t work, std::string_view vector_axis) {
    split_choice c;
    const std::size_t threads = par_threads(policy);
    if (threads < 2 || work < policy.min_parallel_work) return c;
    for (std::size_t k = 0; k < rank; ++k) {
        if (extents[k] < index_t(threads)) continue;
        if (names[k] == vector_axis && k + 1 != rank) continue;  // prefer outer axes
        c.position = k;
        c.axis = names[k];
        break;
    }
    if (c.position != npos) c.threads = threads;
    return c;
}

// Runs run(loop, split, lo, hi) on chunks of [0, extent) of the split axis (4 per thread),
// their bounds multiples of `align` except the last.
LOOM_NOINLINE inline void run_chunks(const split_choice& c, index_t extent, index_t align,
                                     const void* loop,
                                     void (*run)(const void*, std::size_t, index_t, index_t)) {
    const std::size_t tasks = std::min<std::size_t>(std::size_t(extent), c.threads * 4);
    thread_pool::instance().run(tasks, c.threads, [&](std::size_t i) {
        index_t lo = extent * index_t(i) / index_t(tasks);
        index_t hi = extent * index_t(i + 1) / index_t(tasks);
        lo -= lo % align;
        if (i + 1 < tasks) hi -= hi % align;
        if (lo < hi) run(loop, c.position, lo, hi);
    });
}

}  // namespace detail

/// Runs expressions with SIMD packs on several threads.
template <>
struct executor<par_policy> {
    /// Evaluates `e` into `dst`; checks as `seq` does, before the first write. A user
    /// function that throws stops every thread; the exception reaches the caller and the
    /// destination holds a mix of old and new values.
    template <class T, class Axes, class E, class... Fresh>
    static void assign(const par_policy& policy, const basic_tensor_view<T, Axes>& dst,
                       const E& e, Fresh... fresh) {
        detail::checked_assign(dst, e, [&](const auto& out, const auto& node) {
            if (policy.plugins && gemm_rows_in_parallel(policy, out, node.bind())) return;
            detail::with_hoisted(policy, out, node, false, nullptr,
                                 [&](const auto& b, const auto& fills) {
                using B = std::remove_cvref_t<decltype(b)>;
                detail::vector_loop<T, Axes, B> loop{out, b};
                detail::choose_nest(loop);
                const split_choice c = split_of(policy, loop, out.shape());
                // Temporaries filled per row need whole rows: not when the rows are split.
                loop.attach(fills, false, c.position != loop.vec);
                run_split(c, loop, out.shape());
            });
        }, fresh...);
    }
    /// The plan for evaluating `node` into a dense tensor of shape `s`.
    template <class T, class Axes, class N>
    LOOM_COLD static loop_plan plan(const par_policy& policy, const shape<Axes>& s,
                                    const N& node) {
        loop_plan out = executor<simd_policy>::plan<T>(simd_policy{policy.plugins}, s, node);
        out.policy = par_policy::name;
        const auto split = split_of(policy, s, node, out.vector_axis);
        out.threads = split.threads;
        out.parallel_axis = split.axis;
        return out;
    }

private:
    // The GEMM plug-in on blocks of rows, one per thread.
    template <class T, class Axes, class B>
    static bool gemm_rows_in_parallel(const par_policy& policy,
                                      const basic_tensor_view<T, Axes>& out, const B& bound) {
        if constexpr (!detail::gemm_shape<B>::value) {
            return false;
        } else {
            const gemm_plugin<T>& plugin = gemm_plugin_for<T>();
            const gemm_problem<T> g = detail::gemm_of(out, bound);
            if (!plugin.run || g.m <= 0 || g.n <= 0) return false;
            const std::size_t threads = threads_for(policy);
            const bool big = g.m * g.n * g.k >= policy.min_parallel_work * 8;
            const std::size_t tasks = big ? std::min<std::size_t>(threads, std::size_t(g.m)) : 1;
            std::atomic<bool> declined{false};
            detail::thread_pool::instance().run(tasks, threads, [&](std::size_t i) {
                gemm_problem<T> part = g;
                const index_t lo = g.m * index_t(i) / index_t(tasks);
                const index_t hi = g.m * index_t(i + 1) / index_t(tasks);
                part.m = hi - lo;
                part.a += lo * g.a_row;
                part.c += lo * g.c_row;
                if (part.m > 0 && !plugin.run(part)) declined = true;
            });
            return !declined;
        }
    }
    using split_choice = detail::split_choice;
    static std::size_t threads_for(const par_policy& policy) { return detail::par_threads(policy); }
    template <class Axes, class N>
    static split_choice split_of(const par_policy& policy, const shape<Axes>& s, const N& node,
                                 std::string_view vector_axis) {
        return detail::choose_split(policy, s.extent, detail::names_of<Axes>, Axes::size,
                                    s.size() * detail::work_per_element(node), vector_axis);
    }
    // The split of `loop`'s nest. The axis packs run along is split last; in transposed
    // tiles, splitting the other one keeps each thread's buffer rows long.
    template <class Loop, class Axes>
    static split_choice split_of(const par_policy& policy, const Loop& loop,
                                 const shape<Axes>& s) {
        const std::size_t packs_along = loop.tile_axis != npos ? loop.tile_axis : loop.vec;
        return split_of(policy, s, loop.tree,
                        packs_along != npos ? detail::names_of<Axes>[packs_along] : "");
    }
    template <class Loop, class Axes>
    static void run_split(const split_choice& c, const Loop& loop, const shape<Axes>& s) {
        if (c.position == npos) {
            loop.run(0, 0, Axes::size > 0 ? s.extent[0] : 1);
            return;
        }
        // Chunks along the vectorised or tile axis keep whole packs: align to the pack width.
        const index_t align = c.position == loop.vec || c.position == loop.tile_axis
                                  ? index_t(detail::simd::width<typename Loop::value_type>)
                                  : 1;
        detail::run_chunks(c, s.extent[c.position], align, &loop,
                           [](const void* l, std::size_t split, index_t lo, index_t hi) {
                               static_cast<const Loop*>(l)->run(split, lo, hi);
                           });
    }
};

LOOM_END_NAMESPACE
