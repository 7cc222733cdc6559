// (b) softmax along the contiguous axis of a {r, c} matrix and (c) along the outer axis.
#include "cases.hpp"
#include "common.hpp"
#include "loom_policy.hpp"
#include "peers.hpp"
#include "simd_util.hpp"

#include <cmath>
#include <cstring>
#include <limits>

namespace bench {
namespace {

constexpr loom::axis<"r"> r_ax;
constexpr loom::axis<"c"> c_ax;
constexpr float neg_inf = -std::numeric_limits<float>::infinity();

// Scalar reference in double: softmax of each row (along = 1) or each column (along = 0).
void softmax_reference(const float* x, float* y, std::size_t rows, std::size_t cols, int along) {
    const std::size_t outer = along == 1 ? rows : cols, inner = along == 1 ? cols : rows;
    const std::size_t so = along == 1 ? cols : 1, si = along == 1 ? 1 : cols;
    for (std::size_t o = 0; o < outer; ++o) {
        double m = -INFINITY, s = 0;
        for (std::size_t k = 0; k < inner; ++k) m = std::max(m, double(x[o * so + k * si]));
        for (std::size_t k = 0; k < inner; ++k) s += std::exp(double(x[o * so + k * si]) - m);
        for (std::size_t k = 0; k < inner; ++k)
            y[o * so + k * si] = float(std::exp(double(x[o * so + k * si]) - m) / s);
    }
}

// The best hand row softmax: max with two batch accumulators (2 x 16 lanes on AVX-512),
// exp(x - max) stored and summed in the same pass, then one scaling pass; the row stays in L1.
// A row of 16 KiB or more also prefetches the next row (`next`, or null) during the exp pass,
// which reads its own row from cache (4096 wide: about 20% faster; at 1024 wide, slower).
// The scaling multiplies by 1 / sum; with `Divide`, it divides by the sum (IEEE division, what
// the expression `exp(x - max) / sum(...)` says, and so what loom computes): the like-for-like
// baseline, slower by the division's throughput.
template <bool Divide = false>
void softmax_row_hand(const float* x, float* y, std::size_t n, const float* next) {
    fbatch m0(neg_inf), m1(neg_inf);
    std::size_t k = 0;
    for (; k + 2 * W <= n; k += 2 * W) {
        m0 = xsimd::max(m0, load(x + k));
        m1 = xsimd::max(m1, load(x + k + W));
    }
    for (; k + W <= n; k += W) m0 = xsimd::max(m0, load(x + k));
    float m = hmax(xsimd::max(m0, m1));
    for (; k < n; ++k) m = std::max(m, x[k]);

    const fbatch vm(m);
    fbatch s0(0.f), s1(0.f);
    k = 0;
    if (n * sizeof(float) < 16 * 1024) next = nullptr;
    for (; k + 2 * W <= n; k += 2 * W) {
        if (next)
            for (std::size_t b = 0; b < 2 * W; b += 64 / sizeof(float))
                _mm_prefetch(reinterpret_cast<const char*>(next + k + b), _MM_HINT_T0);
        const fbatch e0 = xsimd::exp(load(x + k) - vm), e1 = xsimd::exp(load(x + k + W) - vm);
        store(y + k, e0), store(y + k + W, e1);
        s0 += e0, s1 += e1;
    }
    for (; k + W <= n; k += W) {
        const fbatch e0 = xsimd::exp(load(x + k) - vm);
        store(y + k, e0);
        s0 += e0;
    }
    float s = hsum(s0 + s1);
    for (; k < n; ++k) s += (y[k] = std::exp(x[k] - m));

    k = 0;
    if constexpr (Divide) {
        const fbatch vs(s);
        for (; k + W <= n; k += W) store(y + k, load(y + k) / vs);
        for (; k < n; ++k) y[k] /= s;
    } else {
        const float inv = 1.0f / s;
        const fbatch vi(inv);
        for (; k + W <= n; k += W) store(y + k, load(y + k) * vi);
        for (; k < n; ++k) y[k] *= inv;
    }
}

// Column softmax for columns [c0, c1), walking rows in memory order with a running max and
// sum per column (vectors of the strip's width); strip = c1 - c0.
void softmax_cols_hand(const float* x, float* y, std::size_t rows, std::size_t cols,
                       std::size_t c0, std::size_t c1, float* m, float* s) {
    const std::size_t w = c1 - c0;
    for (std::size_t j = 0; j < w; ++j) m[j] = neg_inf, s[j] = 0.f;
    for (std::size_t i = 0; i < rows; ++i) {
        const float* px = x + i * cols + c0;
        std::size_t j = 0;
        for (; j + W <= w; j += W) store(m + j, xsimd::max(load(m + j), load(px + j)));
        for (; j < w; ++j) m[j] = std::max(m[j], px[j]);
    }
    for (std::size_t i = 0; i < rows; ++i) {
        const float* px = x + i * cols + c0;
        float* py = y + i * cols + c0;
        std::size_t j = 0;
        for (; j + W <= w; j += W) {
            const fbatch e = xsimd::exp(load(px + j) - load(m + j));
            store(py + j, e);
            store(s + j, load(s + j) + e);
        }
        for (; j < w; ++j) s[j] += (py[j] = std::exp(px[j] - m[j]));
    }
    for (std::size_t j = 0; j < w; ++j) s[j] = 1.0f / s[j];
    for (std::size_t i = 0; i < rows; ++i) {
        float* py = y + i * cols + c0;
        std::size_t j = 0;
        for (; j + W <= w; j += W) store(py + j, load(py + j) * load(s + j));
        for (; j < w; ++j) py[j] *= s[j];
    }
}

// The same in two passes over x with one write of y: a running max and a sum rescaled when
// the max grows (two more exps per element, one pass less over memory).
void softmax_cols_online(const float* x, float* y, std::size_t rows, std::size_t cols,
                         std::size_t c0, std::size_t c1, float* m, float* s) {
    const std::size_t w = c1 - c0;
    for (std::size_t j = 0; j < w; ++j) m[j] = neg_inf, s[j] = 0.f;
    for (std::size_t i = 0; i < rows; ++i) {
        const float* px = x + i * cols + c0;
        std::size_t j = 0;
        for (; j + W <= w; j += W) {
            const fbatch v = load(px + j), mo = load(m + j), mn = xsimd::max(mo, v);
            store(s + j, load(s + j) * xsimd::exp(mo - mn) + xsimd::exp(v - mn));
            store(m + j, mn);
        }
        for (; j < w; ++j) {
            const float mn = std::max(m[j], px[j]);
            s[j] = s[j] * std::exp(m[j] - mn) + std::exp(px[j] - mn);
            m[j] = mn;
        }
    }
    for (std::size_t j = 0; j < w; ++j) s[j] = 1.0f / s[j];
    for (std::size_t i = 0; i < rows; ++i) {
        const float* px = x + i * cols + c0;
        float* py = y + i * cols + c0;
        std::size_t j = 0;
        for (; j + W <= w; j += W) store(py + j, xsimd::exp(load(px + j) - load(m + j)) * load(s + j));
        for (; j < w; ++j) py[j] = std::exp(px[j] - m[j]) * s[j];
    }
}

using eigen2 = Eigen::Tensor<float, 2, Eigen::RowMajor>;

// TensorFlow's softmax functor (tensorflow/core/kernels/softmax_op_functor.h): the
// reductions are .eval()'d, reshaped and broadcast; `along` is the reduced dimension.
void eigen_softmax_tf(int threads, const eigen2& x, eigen2& y, int along) {
    const Eigen::Index rows = x.dimension(0), cols = x.dimension(1);
    const Eigen::array<int, 1> red{along};
    const Eigen::array<Eigen::Index, 2> keep = along == 1 ? Eigen::array<Eigen::Index, 2>{rows, 1}
                                                          : Eigen::array<Eigen::Index, 2>{1, cols};
    const Eigen::array<Eigen::Index, 2> bcast = along == 1 ? Eigen::array<Eigen::Index, 2>{1, cols}
                                                           : Eigen::array<Eigen::Index, 2>{rows, 1};
    eigen_on(threads, [&](const auto& dev) {
        y.device(dev) = (x - x.maximum(red).eval().reshape(keep).broadcast(bcast)).exp();
        y.device(dev) = y * y.sum(red).inverse().eval().reshape(keep).broadcast(bcast);
    });
}

// The one-expression form a user writes first; Eigen re-evaluates the broadcast reductions
// per element, so it is run only on the small case.
void eigen_softmax_natural(const eigen2& x, eigen2& y) {
    const Eigen::Index rows = x.dimension(0), cols = x.dimension(1);
    const Eigen::array<int, 1> red{1};
    const Eigen::array<Eigen::Index, 2> keep{rows, 1}, bcast{1, cols};
    auto mx = x.maximum(red).reshape(keep).broadcast(bcast);
    y = (x - mx).exp() / (x - mx).exp().sum(red).reshape(keep).broadcast(bcast);
}

using xt2 = xt::xtensor<float, 2>;

// What a careful xtensor user writes: reductions evaluated immediately, then broadcast.
void xtensor_softmax_eval(const xt2& x, xt2& y, std::size_t along) {
    const auto m = xt::eval(xt::amax(x, {along}, xt::keep_dims | xt::evaluation_strategy::immediate));
    xt::noalias(y) = xt::exp(x - m);
    const auto s = xt::eval(xt::sum(y, {along}, xt::keep_dims | xt::evaluation_strategy::immediate));
    xt::noalias(y) = y / s;
}

// The natural one-expression form (lazy reducers).
void xtensor_softmax_natural(const xt2& x, xt2& y) {
    xt::noalias(y) = xt::exp(x - xt::amax(x, {1}, xt::keep_dims)) /
                     xt::sum(xt::exp(x - xt::amax(x, {1}, xt::keep_dims)), {1}, xt::keep_dims);
}

// Seconds for one call of f(), best of a few (for scaling probes).
template <class F>
double quick_time(F&& f) {
    double best = INFINITY;
    for (int k = 0; k < 3; ++k) {
        const auto t0 = clock_type::now();
        f();
        best = std::min(best, seconds_since(t0));
    }
    return best;
}

// Whether loom's natural softmax along `ax` costs O(n) per line under loom_fast: times 4 lines
// of 256 and of 1024 and compares (a linear nest grows 4x, a per-element reduction 16x or
// more). Measured once per axis; `why` is the note for a skipped row.
template <class Ax>
bool loom_softmax_scales(Ax ax, std::string& why) {
    static int verdict = -1;
    static std::string note;
    if (verdict < 0) {
        auto run = [&](loom::index_t len) {
            const bool along_c = std::is_same_v<Ax, std::remove_cv_t<decltype(c_ax)>>;
            const loom::index_t R = along_c ? 4 : len, C = along_c ? len : 4;
            loom::tensor<float, "r", "c"> x({r_ax = R, c_ax = C}, [](auto p) {
                return float((p[c_ax] * 7 + p[r_ax]) % 13) * 0.1f;
            });
            loom::tensor<float, "r", "c"> y({r_ax = R, c_ax = C});
            return quick_time([&] {
                y.assign(loom_fast{}, loom::exp(x - loom::max(x, ax)) /
                                          loom::sum(loom::exp(x - loom::max(x, ax)), ax));
            });
        };
        const double t1 = run(256), t2 = run(1024);
        const double k = std::log(t2 / t1) / std::log(4.0);
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "skipped at this size: loom (%s) softmax cost grows as n^%.1f per line "
                      "(reductions not hoisted)",
                      loom_fast::name, k);
        note = buf;
        verdict = k < 1.5;
    }
    why = note;
    return verdict == 1;
}

// Row softmax at rows x cols: the full case, or the small one where everything runs.
void rows_group(int threads, std::size_t rows, std::size_t cols, bool small) {
    const std::size_t n = rows * cols;
    const auto x = uniform(n, -4.f, 4.f, 11);
    aligned_array<float> ref(n), y(n);
    softmax_reference(x.data(), ref.data(), rows, cols, 1);
    const std::string title = "b row softmax " + std::to_string(rows) + "x" + std::to_string(cols) +
                              (small ? " (small: every form runs)" : "");
    group g(small ? "b.softmax_rows_small" : "b.softmax_rows", title, threads, 2.0 * 4.0 * double(n), 0);
    g.reference(ref.data(), n);
    g.run("hand: xsimd, 2x16-lane max/sum, 3 passes", [&] {
        par_for(threads, rows, 1, [&](std::size_t lo, std::size_t hi) {
            for (std::size_t i = lo; i < hi; ++i)
                softmax_row_hand(x.data() + i * cols, y.data() + i * cols, cols,
                                 i + 1 < hi ? x.data() + (i + 1) * cols : nullptr);
        });
    }, y.data(), true);
    g.run("hand: the same, dividing by the sum (as loom)", [&] {
        par_for(threads, rows, 1, [&](std::size_t lo, std::size_t hi) {
            for (std::size_t i = lo; i < hi; ++i)
                softmax_row_hand<true>(x.data() + i * cols, y.data() + i * cols, cols,
                                       i + 1 < hi ? x.data() + (i + 1) * cols : nullptr);
        });
    }, y.data());

    {
        const auto R = static_cast<loom::index_t>(rows), C = static_cast<loom::index_t>(cols);
        loom::tensor<float, "r", "c"> lx({r_ax = R, c_ax = C}), ly({r_ax = R, c_ax = C});
        std::memcpy(lx.data(), x.data(), n * 4);
        std::string why;
        if (!small && loom_is_reference) {
            g.skip(loom_label(threads) + " exp(x-max)/sum(exp(x-max))",
                   "loom seq: skipped at this size (seq evaluates the nested reductions per "
                   "element); see the small case");
        } else if (!small && !loom_softmax_scales(c_ax, why)) {
            g.skip(loom_label(threads) + " exp(x-max)/sum(exp(x-max))", why);
        } else {
            const std::string tf = std::string("Eigen Tensor, TensorFlow-style") +
                                   (threads > 1 ? " (ThreadPoolDevice)" : "");
            loom_row(g, [&](auto policy) {
                ly.assign(policy, loom::exp(lx - loom::max(lx, c_ax)) /
                                      loom::sum(loom::exp(lx - loom::max(lx, c_ax)), c_ax));
            }, ly.data(), "", " exp(x-max)/sum(exp(x-max))").compare_to = tf;
            loom_row(g, [&](auto policy) { ly.assign(policy, loom::softmax(lx, c_ax)); },
                     ly.data(), "", " loom::softmax").compare_to = tf;
        }
    }
    {
        eigen2 ex(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols)), ey(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
        std::memcpy(ex.data(), x.data(), n * 4);
        g.run(std::string("Eigen Tensor, TensorFlow-style") + (threads > 1 ? " (ThreadPoolDevice)" : ""),
              [&] { eigen_softmax_tf(threads, ex, ey, 1); }, ey.data());
        if (threads == 1) {
            if (small)
                g.run("Eigen Tensor, natural one expression", [&] { eigen_softmax_natural(ex, ey); },
                      ey.data(), false, "recomputes the reductions per element");
            else
                g.skip("Eigen Tensor, natural one expression",
                       "not run: recomputes the broadcast reductions per element (measured "
                       "0.25 s at 256x256, 5.7 s at 512x512); see the small case");
        }
    }
    if (threads == 1) {
        const std::array<std::size_t, 2> sh{rows, cols};
        xt2 xx = xt::adapt(x.data(), n, xt::no_ownership(), sh);
        xt2 xy(sh);
        g.run("xtensor+xsimd, reductions evaluated", [&] { xtensor_softmax_eval(xx, xy, 1); }, xy.data());
        g.run_isolated("xtensor+xsimd, natural one expression",
                       [&] { xtensor_softmax_natural(xx, xy); }, xy.data(),
                       opts().isolated_timeout, false, "run in a child process");
    }
}

void cols_group(int threads, std::size_t rows, std::size_t cols) {
    const std::size_t n = rows * cols;
    const auto x = uniform(n, -4.f, 4.f, 12);
    aligned_array<float> ref(n), y(n);
    softmax_reference(x.data(), ref.data(), rows, cols, 0);
    group g("c.softmax_cols", "c column softmax (over the outer axis) " + std::to_string(rows) +
                                  "x" + std::to_string(cols), threads, 2.0 * 4.0 * double(n), 0);
    g.reference(ref.data(), n);
    // Each thread takes a range of columns and walks all rows over it (full width: narrower
    // strips measured slower here, 4 KiB-strided rows defeat the prefetchers and the TLB).
    auto hand = [&](auto kernel) {
        par_for(threads, cols, 64, [&](std::size_t lo, std::size_t hi) {
            aligned_array<float> m(hi - lo), s(hi - lo);
            kernel(x.data(), y.data(), rows, cols, lo, hi, m.data(), s.data());
        });
    };
    g.run("hand: row order, max pass, exp+sum pass, scale pass", [&] { hand(softmax_cols_hand); },
          y.data(), true);
    g.run("hand: row order, online max+sum pass, exp*scale pass", [&] { hand(softmax_cols_online); },
          y.data(), true);
    {
        const auto R = static_cast<loom::index_t>(rows), C = static_cast<loom::index_t>(cols);
        loom::tensor<float, "r", "c"> lx({r_ax = R, c_ax = C}), ly({r_ax = R, c_ax = C});
        std::memcpy(lx.data(), x.data(), n * 4);
        std::string why;
        if (loom_is_reference)
            g.skip(loom_label(threads) + " exp(x-max)/sum(exp(x-max))",
                   "loom seq: skipped at this size (seq evaluates the nested reductions per "
                   "element)");
        else if (!loom_softmax_scales(r_ax, why))
            g.skip(loom_label(threads) + " exp(x-max)/sum(exp(x-max))", why);
        else
            loom_row(g, [&](auto policy) {
                ly.assign(policy, loom::exp(lx - loom::max(lx, r_ax)) /
                                      loom::sum(loom::exp(lx - loom::max(lx, r_ax)), r_ax));
            }, ly.data(), "", " exp(x-max)/sum(exp(x-max))");
    }
    {
        eigen2 ex(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols)), ey(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
        std::memcpy(ex.data(), x.data(), n * 4);
        g.run(std::string("Eigen Tensor, TensorFlow-style") + (threads > 1 ? " (ThreadPoolDevice)" : ""),
              [&] { eigen_softmax_tf(threads, ex, ey, 0); }, ey.data());
    }
    if (threads == 1) {
        const std::array<std::size_t, 2> sh{rows, cols};
        xt2 xx = xt::adapt(x.data(), n, xt::no_ownership(), sh);
        xt2 xy(sh);
        g.run("xtensor+xsimd, reductions evaluated", [&] { xtensor_softmax_eval(xx, xy, 0); }, xy.data());
    }
}

}  // namespace

void case_softmax(int threads) {
    const bool quick = opts().quick;
    const std::size_t s = quick ? 1024 : 4096;
    if (selected("b.softmax_rows")) {
        rows_group(threads, s, s, false);
        if (threads == 1) rows_group(threads, 32, 64, true);
    }
    if (selected("c.softmax_cols")) cols_group(threads, s, s);
}

}  // namespace bench
