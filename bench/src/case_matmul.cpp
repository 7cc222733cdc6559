// (d) matmul c{i,j} = sum(a{i,k} * b{k,j}, k) against Eigen, OpenBLAS and oneDNN.
#include "cases.hpp"
#include "common.hpp"
#include "loom_policy.hpp"
#include "peers.hpp"

#include <Eigen/Dense>
#if __has_include(<loom/interop/eigen_gemm.hpp>)
#include <loom/interop/eigen_gemm.hpp>  // loom's GEMM plug-in backed by Eigen's product
#define LOOM_BENCH_EIGEN_PLUGIN 1
#else
#define LOOM_BENCH_EIGEN_PLUGIN 0
#endif
#include <cblas.h>
#include <omp.h>
#if LOOM_BENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.h>
#endif

#include <cstring>

namespace bench {
namespace {

constexpr loom::axis<"i"> i_ax;
constexpr loom::axis<"j"> j_ax;
constexpr loom::axis<"k"> k_ax;

// The loop a user writes: i-k-j order, so the inner loop is contiguous and GCC vectorises it.
void matmul_ikj(const float* a, const float* b, float* c, std::size_t n, std::size_t ilo,
                std::size_t ihi) {
    for (std::size_t i = ilo; i < ihi; ++i) {
        float* ci = c + i * n;
        for (std::size_t j = 0; j < n; ++j) ci[j] = 0.f;
        for (std::size_t k = 0; k < n; ++k) {
            const float aik = a[i * n + k];
            const float* bk = b + k * n;
            for (std::size_t j = 0; j < n; ++j) ci[j] += aik * bk[j];
        }
    }
}

void matmul_group(int threads, std::size_t n, bool small) {
    const std::size_t nn = n * n;
    const auto a = uniform(nn, 0.f, 1.f, 21), b = uniform(nn, 0.f, 1.f, 22);
    aligned_array<float> ref(nn), c(nn);
    matmul_ikj(a.data(), b.data(), ref.data(), n, 0, n);
    const double flops = 2.0 * double(n) * double(n) * double(n);
    const std::string sz = std::to_string(n);
    group g(small ? "d.matmul_small" : "d.matmul",
            "d matmul " + sz + "x" + sz + "x" + sz + (small ? " (small: loom seq runs)" : ""),
            threads, 0, flops);
    g.reference(ref.data(), nn);

    {
        using M = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        const auto N = Eigen::Index(n);
        M ea(N, N), eb(N, N), ec(N, N);
        std::memcpy(ea.data(), a.data(), nn * 4), std::memcpy(eb.data(), b.data(), nn * 4);
        Eigen::setNbThreads(threads);
        g.run("Eigen 3.4 matrix product", [&] { ec.noalias() = ea * eb; }, ec.data(), true,
              "ratio reference for (d)");
        Eigen::setNbThreads(1);
    }
    openblas_set_num_threads(threads);
    g.run("OpenBLAS cblas_sgemm", [&] {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(n), int(n), int(n), 1.f,
                    a.data(), int(n), b.data(), int(n), 0.f, c.data(), int(n));
    }, c.data());
    openblas_set_num_threads(1);
#if LOOM_BENCH_HAVE_DNNL
    {
        const int saved = omp_get_max_threads();
        omp_set_num_threads(threads);
        g.run("oneDNN dnnl_sgemm", [&] {
            dnnl_sgemm('N', 'N', dnnl_dim_t(n), dnnl_dim_t(n), dnnl_dim_t(n), 1.f, a.data(),
                       dnnl_dim_t(n), b.data(), dnnl_dim_t(n), 0.f, c.data(), dnnl_dim_t(n));
        }, c.data());
        omp_set_num_threads(saved);
    }
#endif
    g.run("hand: i-k-j loop (GCC-vectorised)", [&] {
        par_for(threads, n, 1, [&](std::size_t lo, std::size_t hi) {
            matmul_ikj(a.data(), b.data(), c.data(), n, lo, hi);
        });
    }, c.data());

    const auto N = static_cast<loom::index_t>(n);
    loom::tensor<float, "i", "k"> la({i_ax = N, k_ax = N});
    loom::tensor<float, "k", "j"> lb({k_ax = N, j_ax = N});
    loom::tensor<float, "i", "j"> lc({i_ax = N, j_ax = N});
    std::memcpy(la.data(), a.data(), nn * 4), std::memcpy(lb.data(), b.data(), nn * 4);
    if (!small && loom_is_reference) {
        g.skip(loom_label(threads) + " sum(a*b, k)",
               "loom seq: skipped at this size (about 1e9 per-point index computations); see "
               "the small case");
    } else if constexpr (has_plugins<loom_fast>) {
        // The planner hands a GEMM-shaped contraction to a tuned kernel (the plug-in); with
        // plug-ins off the same expression runs as loom's generated loop nest. Including the
        // header is not enough: the Eigen plug-in is registered by a call.
#if LOOM_BENCH_EIGEN_PLUGIN
        loom::eigen::register_gemm();
        const std::string plugin_note = "";
#else
        const std::string plugin_note = "no <loom/interop/eigen_gemm.hpp>: no plug-in registered";
#endif
        loom_row(g, [&](auto policy) { lc.assign(policy, loom::sum(la * lb, k_ax)); }, lc.data(),
                 plugin_note, " sum(a*b, k), Eigen plug-in");
        loom_row(g, [&](auto policy) { lc.assign(policy, loom::sum(la * lb, k_ax)); }, lc.data(),
                 "", " sum(a*b, k), generated nest",
                 [](auto policy) { return without_plugins(policy); });
    } else {
        loom_row(g, [&](auto policy) { lc.assign(policy, loom::sum(la * lb, k_ax)); }, lc.data(),
                 loom_is_reference ? "generated nest (seq reference executor)" : "",
                 " sum(a*b, k)");
    }
}

}  // namespace

void case_matmul(int threads) {
    if (!selected("d.matmul")) return;
    matmul_group(threads, opts().quick ? 512 : 1024, false);
    if (threads == 1 && loom_is_reference) matmul_group(threads, opts().quick ? 128 : 256, true);
}

}  // namespace bench
