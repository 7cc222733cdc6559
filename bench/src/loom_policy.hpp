// The one place that chooses the executors loom runs under in every benchmark.
#pragma once

#include <loom/loom.hpp>

#include "common.hpp"

#include <string>
#include <type_traits>

namespace bench {

// ===== Switch here (one line). ==========================================================
// loom::simd_policy measures the planned executor; the multi-threaded rows then run under
// loom::par_policy{threads} (see loom_threads below). loom::seq_policy measures the reference.
using loom_fast = loom::simd_policy;
// ========================================================================================

// The policy of the multi-threaded rows (f): par with n threads when loom_fast is simd;
// none (the rows are skipped) under seq.
inline constexpr bool loom_has_par = std::is_same_v<loom_fast, loom::simd_policy>;
inline auto loom_threads([[maybe_unused]] int threads) {
    if constexpr (loom_has_par) {
        loom::par_policy p;
        p.threads = static_cast<std::size_t>(threads);
        return p;
    } else {
        return loom_fast{};
    }
}

// seq is the scalar reference executor: it evaluates nested reductions once per element
// (softmax costs O(n^2) per row, a matmul walks its operands through per-point index
// arithmetic), so cases that would take minutes under it run loom only at a small size.
inline constexpr bool loom_is_reference = std::is_same_v<loom_fast, loom::seq_policy>;

// Whether policy P can turn tuned-kernel plug-ins (the GEMM) off, and P with them off.
template <class P>
inline constexpr bool has_plugins = requires(P p) { p.plugins = false; };
template <class P>
P without_plugins(P p) {
    if constexpr (has_plugins<P>) p.plugins = false;
    return p;
}

inline std::string loom_label(int threads) {
    if (threads <= 1) return std::string("loom (") + loom_fast::name + ")";
    if (!loom_has_par) return "loom (par)";
    return std::string("loom (") + decltype(loom_threads(threads))::name + ", " +
           std::to_string(threads) + " thr)";
}

// Adds loom's row to `g`: `body(policy)` evaluates the loom expression into the tensor whose
// elements `out` points at. More than one thread needs loom::par (skipped until it exists).
// `adjust(policy)` may change the policy (without_plugins); `suffix` extends the label.
template <class Body, class Adjust = std::identity>
record& loom_row(group& g, Body&& body, const float* out, const std::string& note = "",
                 const std::string& suffix = "", Adjust adjust = {}) {
    const int t = g.threads();
    if (t <= 1) {
        const auto policy = adjust(loom_fast{});
        return g.run(loom_label(1) + suffix, [&] { body(policy); }, out, false, note);
    }
    if constexpr (loom_has_par) {
        const auto policy = adjust(loom_threads(t));
        return g.run(loom_label(t) + suffix, [&] { body(policy); }, out, false, note);
    } else {
        return g.skip("loom (par)" + suffix, std::string("skipped: loom_fast is ") +
                                                 loom_fast::name + " in bench/src/loom_policy.hpp");
    }
}

}  // namespace bench
