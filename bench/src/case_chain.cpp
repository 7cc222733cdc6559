// (a) the fused chain y = exp(a*x + b) * z - x, the machine's copy bandwidth and FMA peak, and
// (e) the same chain through a strided slice and through a transposed view.
#include "cases.hpp"
#include "common.hpp"
#include "loom_policy.hpp"
#include "peers.hpp"
#include "simd_util.hpp"

#include <cmath>
#include <cstring>

namespace bench {
namespace {

constexpr loom::axis<"n"> n_ax;
constexpr loom::axis<"i"> i_ax;
constexpr loom::axis<"j"> j_ax;

constexpr float ca = 0.5f, cb = 0.25f;  // y = exp(ca * x + cb) * z - x
// Inputs: x in [-1, 1), z in [2, 3): y >= 0.5, so relative errors are meaningful.

inline float chain_scalar(float x, float z) { return std::exp(ca * x + cb) * z - x; }
inline fbatch chain_batch(const fbatch& x, const fbatch& z) {
    return xsimd::exp(fbatch(ca) * x + fbatch(cb)) * z - x;  // GCC contracts to FMA
}

// The best hand loop: xsimd::exp on full batches (two per step), scalar tail.
void chain_hand(const float* x, const float* z, float* y, std::size_t lo, std::size_t hi) {
    std::size_t k = lo;
    for (; k + 2 * W <= hi; k += 2 * W) {
        store(y + k, chain_batch(load(x + k), load(z + k)));
        store(y + k + W, chain_batch(load(x + k + W), load(z + k + W)));
    }
    for (; k + W <= hi; k += W) store(y + k, chain_batch(load(x + k), load(z + k)));
    for (; k < hi; ++k) y[k] = chain_scalar(x[k], z[k]);
}

// The same with non-temporal stores (no read-for-ownership of y): for outputs beyond the caches.
void chain_hand_stream(const float* x, const float* z, float* y, std::size_t lo, std::size_t hi) {
    std::size_t k = lo;
    for (; k < hi && (reinterpret_cast<std::uintptr_t>(y + k) % 64) != 0; ++k)
        y[k] = chain_scalar(x[k], z[k]);
    for (; k + 2 * W <= hi; k += 2 * W) {
        stream_store(y + k, chain_batch(load(x + k), load(z + k)));
        stream_store(y + k + W, chain_batch(load(x + k + W), load(z + k + W)));
    }
    for (; k + W <= hi; k += W) stream_store(y + k, chain_batch(load(x + k), load(z + k)));
    for (; k < hi; ++k) y[k] = chain_scalar(x[k], z[k]);
    stream_fence();
}

// The plain loop a user writes first: std::exp per element (GCC does not vectorise it
// without -ffast-math).
void chain_naive(const float* x, const float* z, float* y, std::size_t lo, std::size_t hi) {
    for (std::size_t k = lo; k < hi; ++k) y[k] = chain_scalar(x[k], z[k]);
}

void chain_group(int threads, std::size_t n, const std::string& id, bool large) {
    const double bytes = 3.0 * 4.0 * double(n);  // read x, z; write y
    const std::size_t grain = 4096;
    const auto x = uniform(n, -1.f, 1.f, 1), z = uniform(n, 2.f, 3.f, 2);
    aligned_array<float> ref(n), y(n);
    chain_naive(x.data(), z.data(), ref.data(), 0, n);

    group g(id, "a chain exp(a*x+b)*z-x, " + pow2_name(n) + " floats", threads, bytes, 0);
    g.reference(ref.data(), n);
    // Below 2^16 elements a fork-join costs more than it saves: the hand loops stay on one
    // thread there, as Eigen's thread-pool device and loom's par decide for themselves.
    const int hand_threads = n < (std::size_t{1} << 16) ? 1 : threads;
    const std::string small_note = hand_threads < threads ? "one thread: too little work to split" : "";
    g.run("hand: xsimd::exp loop", [&] {
        par_for(hand_threads, n, grain, [&](std::size_t lo, std::size_t hi) {
            chain_hand(x.data(), z.data(), y.data(), lo, hi);
        });
    }, y.data(), true, small_note);
    if (large)
        g.run("hand: xsimd::exp, streaming stores", [&] {
            par_for(hand_threads, n, grain, [&](std::size_t lo, std::size_t hi) {
                chain_hand_stream(x.data(), z.data(), y.data(), lo, hi);
            });
        }, y.data(), true);
    g.run("hand: std::exp loop (naive)", [&] {
        par_for(hand_threads, n, grain, [&](std::size_t lo, std::size_t hi) {
            chain_naive(x.data(), z.data(), y.data(), lo, hi);
        });
    }, y.data(), false,
          large ? "" : "the 5x goal is against this row" + (small_note.empty() ? "" : "; " + small_note));

    {
        const auto N = static_cast<loom::index_t>(n);
        loom::tensor<float, "n"> lx({n_ax = N}, 0.f), lz({n_ax = N}, 0.f), ly({n_ax = N}, 0.f);
        std::memcpy(lx.data(), x.data(), n * 4), std::memcpy(lz.data(), z.data(), n * 4);
        record& r = loom_row(g, [&](auto policy) { ly.assign(policy, loom::exp(ca * lx + cb) * lz - lx); },
                             ly.data());
        if (!large) r.compare_to = "hand: std::exp loop (naive)";
    }
    {
        using T1 = Eigen::Tensor<float, 1, Eigen::RowMajor>;
        const auto N = static_cast<Eigen::Index>(n);
        T1 ex(N), ez(N), ey(N);
        std::memcpy(ex.data(), x.data(), n * 4), std::memcpy(ez.data(), z.data(), n * 4);
        g.run(threads > 1 ? "Eigen Tensor (ThreadPoolDevice)" : "Eigen Tensor", [&] {
            eigen_on(threads, [&](const auto& dev) {
                ey.device(dev) = (ex * ca + cb).exp() * ez - ex;
            });
        }, ey.data());
    }
    if (threads == 1) {
        xt::xtensor<float, 1> xx = xt::adapt(x.data(), n, xt::no_ownership(), std::array<std::size_t, 1>{n});
        xt::xtensor<float, 1> xz = xt::adapt(z.data(), n, xt::no_ownership(), std::array<std::size_t, 1>{n});
        xt::xtensor<float, 1> xy(std::array<std::size_t, 1>{n});
        g.run("xtensor+xsimd, noalias", [&] { xt::noalias(xy) = xt::exp(ca * xx + cb) * xz - xx; },
              xy.data());
        g.run("xtensor+xsimd, plain y = expr", [&] { xy = xt::exp(ca * xx + cb) * xz - xx; },
              [&] { return xy.data(); }, false, "assignment makes a temporary");
    }
}

// Strided slice: y(n) = f(x(2n), z(2n)).
void slice_group(int threads, std::size_t n) {
    const double bytes = 4.0 * (4.0 * double(n) + double(n));  // whole lines of x, z are read
    const auto x = uniform(2 * n, -1.f, 1.f, 3), z = uniform(2 * n, 2.f, 3.f, 4);
    aligned_array<float> ref(n), y(n);
    for (std::size_t k = 0; k < n; ++k) ref[k] = chain_scalar(x[2 * k], z[2 * k]);

    group g("e.slice", "e chain through a stride-2 slice, " + pow2_name(n) + " of " +
                           pow2_name(2 * n) + " floats", threads, bytes, 0);
    g.reference(ref.data(), n);
    // Generic: gather a tile of the strided elements, then run the vector chain on it; the
    // 32 MiB destination is written with streaming stores (not read first), as loom does.
    g.run("hand: gather tile + xsimd::exp, streaming stores", [&] {
        par_for(threads, n, 4096, [&](std::size_t lo, std::size_t hi) {
            constexpr std::size_t T = 256;
            alignas(64) float tx[T], tz[T];
            for (std::size_t k0 = lo; k0 < hi; k0 += T) {
                const std::size_t m = std::min(T, hi - k0);
                for (std::size_t k = 0; k < m; ++k) tx[k] = x[2 * (k0 + k)], tz[k] = z[2 * (k0 + k)];
                std::size_t k = 0;
                for (; k + W <= m; k += W)
                    stream_store(y.data() + k0 + k, chain_batch(load(tx + k), load(tz + k)));
                for (; k < m; ++k) y[k0 + k] = chain_scalar(tx[k], tz[k]);
            }
            stream_fence();
        });
    }, y.data(), true);
#if defined(__AVX512F__)
    // AVX-512: load two batches, keep the even lanes with one two-source permute.
    if constexpr (W == 16) {
        g.run("hand: AVX-512 even-lane permute", [&] {
            par_for(threads, n, 4096, [&](std::size_t lo, std::size_t hi) {
                const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22,
                                                       24, 26, 28, 30);
                std::size_t k = lo;
                for (; k + 16 <= hi; k += 16) {
                    const float* px = x.data() + 2 * k;
                    const float* pz = z.data() + 2 * k;
                    const fbatch bx = _mm512_permutex2var_ps(_mm512_loadu_ps(px), even,
                                                             _mm512_loadu_ps(px + 16));
                    const fbatch bz = _mm512_permutex2var_ps(_mm512_loadu_ps(pz), even,
                                                             _mm512_loadu_ps(pz + 16));
                    store(y.data() + k, chain_batch(bx, bz));
                }
                for (; k < hi; ++k) y[k] = chain_scalar(x[2 * k], z[2 * k]);
            });
        }, y.data(), true);
        // The same with streaming stores: the 32 MiB destination is not read before it is
        // written (loom streams destinations this large).
        g.run("hand: AVX-512 even-lane permute, streaming stores", [&] {
            par_for(threads, n, 4096, [&](std::size_t lo, std::size_t hi) {
                const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20,
                                                       22, 24, 26, 28, 30);
                std::size_t k = lo;
                for (; k < hi && reinterpret_cast<std::uintptr_t>(y.data() + k) % 64; ++k)
                    y[k] = chain_scalar(x[2 * k], z[2 * k]);
                for (; k + 16 <= hi; k += 16) {
                    const float* px = x.data() + 2 * k;
                    const float* pz = z.data() + 2 * k;
                    const fbatch bx = _mm512_permutex2var_ps(_mm512_loadu_ps(px), even,
                                                             _mm512_loadu_ps(px + 16));
                    const fbatch bz = _mm512_permutex2var_ps(_mm512_loadu_ps(pz), even,
                                                             _mm512_loadu_ps(pz + 16));
                    stream_store(y.data() + k, chain_batch(bx, bz));
                }
                for (; k < hi; ++k) y[k] = chain_scalar(x[2 * k], z[2 * k]);
                stream_fence();
            });
        }, y.data(), true);
    }
#endif
    {
        const auto N2 = static_cast<loom::index_t>(2 * n);
        loom::tensor<float, "n"> lx({n_ax = N2}, 0.f), lz({n_ax = N2}, 0.f);
        loom::tensor<float, "n"> ly({n_ax = static_cast<loom::index_t>(n)}, 0.f);
        std::memcpy(lx.data(), x.data(), 2 * n * 4), std::memcpy(lz.data(), z.data(), 2 * n * 4);
        const auto sx = lx.slice(n_ax = loom::range(0, N2, 2));
        const auto sz = lz.slice(n_ax = loom::range(0, N2, 2));
        loom_row(g, [&](auto policy) { ly.assign(policy, loom::exp(ca * sx + cb) * sz - sx); },
                 ly.data());
    }
    {
        using T1 = Eigen::Tensor<float, 1, Eigen::RowMajor>;
        T1 ex(static_cast<Eigen::Index>(2 * n)), ez(static_cast<Eigen::Index>(2 * n)), ey(static_cast<Eigen::Index>(n));
        std::memcpy(ex.data(), x.data(), 2 * n * 4), std::memcpy(ez.data(), z.data(), 2 * n * 4);
        const Eigen::array<Eigen::Index, 1> s2{2};
        g.run(threads > 1 ? "Eigen Tensor .stride() (ThreadPoolDevice)" : "Eigen Tensor .stride()", [&] {
            eigen_on(threads, [&](const auto& dev) {
                ey.device(dev) = (ex.stride(s2) * ca + cb).exp() * ez.stride(s2) - ex.stride(s2);
            });
        }, ey.data());
    }
    if (threads == 1) {
        xt::xtensor<float, 1> xx = xt::adapt(x.data(), 2 * n, xt::no_ownership(), std::array<std::size_t, 1>{2 * n});
        xt::xtensor<float, 1> xz = xt::adapt(z.data(), 2 * n, xt::no_ownership(), std::array<std::size_t, 1>{2 * n});
        xt::xtensor<float, 1> xy(std::array<std::size_t, 1>{n});
        auto sx = xt::view(xx, xt::range(0, 2 * n, 2));
        auto sz = xt::view(xz, xt::range(0, 2 * n, 2));
        g.run("xtensor+xsimd view(range(0,N,2)), noalias", [&] {
            xt::noalias(xy) = xt::exp(ca * sx + cb) * sz - sx;
        }, xy.data());
    }
}

#if defined(__AVX512F__)
// Transposes the 16x16 floats held in r[0..15] (row k in r[k]) in registers.
inline void transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int k = 0; k < 8; ++k) {
        t[2 * k] = _mm512_unpacklo_ps(r[2 * k], r[2 * k + 1]);
        t[2 * k + 1] = _mm512_unpackhi_ps(r[2 * k], r[2 * k + 1]);
    }
    for (int k = 0; k < 4; ++k) {
        r[4 * k + 0] = _mm512_shuffle_ps(t[4 * k + 0], t[4 * k + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * k + 1] = _mm512_shuffle_ps(t[4 * k + 0], t[4 * k + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[4 * k + 2] = _mm512_shuffle_ps(t[4 * k + 1], t[4 * k + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * k + 3] = _mm512_shuffle_ps(t[4 * k + 1], t[4 * k + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int k = 0; k < 2; ++k)
        for (int m = 0; m < 4; ++m) {
            t[8 * k + m] = _mm512_shuffle_f32x4(r[8 * k + m], r[8 * k + 4 + m], 0x88);
            t[8 * k + 4 + m] = _mm512_shuffle_f32x4(r[8 * k + m], r[8 * k + 4 + m], 0xdd);
        }
    for (int m = 0; m < 8; ++m) {
        r[m] = _mm512_shuffle_f32x4(t[m], t[8 + m], 0x88);
        r[8 + m] = _mm512_shuffle_f32x4(t[m], t[8 + m], 0xdd);
    }
}
#endif

// Transposed: x, z are {i, j} (j contiguous); y is {j, i} (i contiguous).
void transpose_group(int threads, std::size_t rows, std::size_t cols) {
    const std::size_t n = rows * cols;
    const double bytes = 3.0 * 4.0 * double(n);
    const auto x = uniform(n, -1.f, 1.f, 5), z = uniform(n, 2.f, 3.f, 6);
    aligned_array<float> ref(n), y(n);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j)
            ref[j * rows + i] = chain_scalar(x[i * cols + j], z[i * cols + j]);

    group g("e.transpose", "e chain into a transposed layout, " + std::to_string(rows) + "x" +
                               std::to_string(cols), threads, bytes, 0);
    g.reference(ref.data(), n);
    // Portable: 16x16 tiles, the chain vectorised along j on x's rows into a tile buffer that
    // is written transposed into y's rows; tiles walked in 64-row x 256-column blocks so that
    // each 4 KiB page is visited for several lines (a 4096-wide transpose is TLB-bound).
    g.run("hand: 16x16 tiles in 64x256 blocks + xsimd::exp", [&] {
        constexpr std::size_t B = 16, BI = 64, BJ = 256;
        par_for(threads, cols, BJ, [&](std::size_t jlo, std::size_t jhi) {
            alignas(64) float t[B][B];
            for (std::size_t J0 = jlo; J0 < jhi; J0 += BJ)
                for (std::size_t I0 = 0; I0 < rows; I0 += BI)
                    for (std::size_t j0 = J0; j0 < std::min(J0 + BJ, jhi); j0 += B)
                        for (std::size_t i0 = I0; i0 < std::min(I0 + BI, rows); i0 += B) {
                            const std::size_t nj = std::min(B, jhi - j0), ni = std::min(B, rows - i0);
                            for (std::size_t ii = 0; ii < ni; ++ii) {
                                const float* px = x.data() + (i0 + ii) * cols + j0;
                                const float* pz = z.data() + (i0 + ii) * cols + j0;
                                std::size_t jj = 0;
                                for (; jj + W <= nj; jj += W)
                                    store(&t[ii][jj], chain_batch(load(px + jj), load(pz + jj)));
                                for (; jj < nj; ++jj) t[ii][jj] = chain_scalar(px[jj], pz[jj]);
                            }
                            for (std::size_t jj = 0; jj < nj; ++jj) {
                                float* py = y.data() + (j0 + jj) * rows + i0;
                                for (std::size_t ii = 0; ii < ni; ++ii) py[ii] = t[ii][jj];
                            }
                        }
        });
    }, y.data(), true);
#if defined(__AVX512F__)
    // AVX-512: 16x16 blocks transposed in registers, walked in 64-row x 256-column blocks so
    // that each 4 KiB page is visited for several lines (a 4096-wide transpose is TLB-bound).
    if constexpr (W == 16)
        if (rows % 64 == 0 && cols % 256 == 0)
            g.run("hand: AVX-512 16x16 register transpose, 64x256 blocks", [&] {
                par_for(threads, cols, 256, [&](std::size_t jlo, std::size_t jhi) {
                    for (std::size_t J0 = jlo; J0 < jhi; J0 += 256)
                        for (std::size_t I0 = 0; I0 < rows; I0 += 64)
                            for (std::size_t j0 = J0; j0 < J0 + 256; j0 += 16)
                                for (std::size_t i0 = I0; i0 < I0 + 64; i0 += 16) {
                                    __m512 r[16];
                                    for (std::size_t ii = 0; ii < 16; ++ii) {
                                        const std::size_t off = (i0 + ii) * cols + j0;
                                        r[ii] = chain_batch(load(x.data() + off), load(z.data() + off));
                                    }
                                    transpose16(r);
                                    for (std::size_t jj = 0; jj < 16; ++jj)
                                        _mm512_storeu_ps(y.data() + (j0 + jj) * rows + i0, r[jj]);
                                }
                });
            }, y.data(), true);
#endif
    {
        const auto R = static_cast<loom::index_t>(rows), C = static_cast<loom::index_t>(cols);
        loom::tensor<float, "i", "j"> lx({i_ax = R, j_ax = C}), lz({i_ax = R, j_ax = C});
        loom::tensor<float, "j", "i"> ly({i_ax = R, j_ax = C});
        std::memcpy(lx.data(), x.data(), n * 4), std::memcpy(lz.data(), z.data(), n * 4);
        loom_row(g, [&](auto policy) { ly.assign(policy, loom::exp(ca * lx + cb) * lz - lx); },
                 ly.data(), "destination {j, i}, operands {i, j}");
    }
    {
        using T2 = Eigen::Tensor<float, 2, Eigen::RowMajor>;
        const auto R = Eigen::Index(rows), C = Eigen::Index(cols);
        T2 ex(R, C), ez(R, C), ey(C, R);
        std::memcpy(ex.data(), x.data(), n * 4), std::memcpy(ez.data(), z.data(), n * 4);
        const Eigen::array<int, 2> swap{1, 0};
        g.run(threads > 1 ? "Eigen Tensor .shuffle() (ThreadPoolDevice)" : "Eigen Tensor .shuffle()", [&] {
            eigen_on(threads, [&](const auto& dev) {
                ey.device(dev) = ((ex * ca + cb).exp() * ez - ex).shuffle(swap);
            });
        }, ey.data());
    }
    if (threads == 1) {
        const std::array<std::size_t, 2> sh{rows, cols};
        xt::xtensor<float, 2> xx = xt::adapt(x.data(), n, xt::no_ownership(), sh);
        xt::xtensor<float, 2> xz = xt::adapt(z.data(), n, xt::no_ownership(), sh);
        xt::xtensor<float, 2> xy(std::array<std::size_t, 2>{cols, rows});
        g.run("xtensor+xsimd transpose(), noalias", [&] {
            xt::noalias(xy) = xt::transpose(xt::exp(ca * xx + cb) * xz - xx);
        }, xy.data());
    }
}

// Independent FMA chains on batches: the FP32 peak the compute-bound cases compare with.
float fma_kernel(long iters) {
    constexpr int C = 12;
    fbatch acc[C];
    for (int c = 0; c < C; ++c) acc[c] = fbatch(0.001f * float(c + 1));
    const fbatch m(0.999999f), a(1e-7f);
    for (long it = 0; it < iters; ++it)
        for (int c = 0; c < C; ++c) acc[c] = xsimd::fma(acc[c], m, a);
    fbatch s = acc[0];
    for (int c = 1; c < C; ++c) s += acc[c];
    return hsum(s);
}

}  // namespace

void case_machine(int threads) {
    const bool quick = opts().quick;
    if (selected("ctx.copy")) {
        const std::size_t n = std::size_t{1} << (quick ? 22 : 24);
        const auto src = uniform(n, 0.f, 1.f, 7);
        aligned_array<float> dst(n);
        group g("ctx.copy", "machine: copy bandwidth (memcpy " + pow2_name(n) + " floats)", threads,
                2.0 * 4.0 * double(n), 0, 0);
        g.reference(src.data(), n);
        g.run("memcpy", [&] {
            par_for(threads, n, 4096, [&](std::size_t lo, std::size_t hi) {
                std::memcpy(dst.data() + lo, src.data() + lo, (hi - lo) * 4);
            });
        }, dst.data(), true);
    }
    if (selected("ctx.fma")) {
        const long iters = quick ? 20000 : 100000;
        const double flops = 2.0 * 12.0 * double(W) * double(iters) * threads;
        group g("ctx.fma", "machine: FP32 FMA peak (12 chains of " + std::to_string(W) +
                               "-float fma)", threads, 0, flops);
        g.run("hand: xsimd::fma", [&] {
            par_for(threads, std::size_t(threads), 1, [&](std::size_t, std::size_t) {
                keep(fma_kernel(iters));
            });
        }, nullptr, true);
    }
}

void case_chain(int threads) {
    const bool quick = opts().quick;
    if (selected("a.chain_large")) chain_group(threads, std::size_t{1} << (quick ? 22 : 24), "a.chain_large", true);
    if (selected("a.chain_small")) chain_group(threads, std::size_t{1} << 14, "a.chain_small", false);
}

void case_chain_views(int threads) {
    const bool quick = opts().quick;
    if (selected("e.slice")) slice_group(threads, std::size_t{1} << (quick ? 21 : 23));
    if (selected("e.transpose")) {
        const std::size_t s = quick ? 1024 : 4096;
        transpose_group(threads, s, s);
    }
}

}  // namespace bench
