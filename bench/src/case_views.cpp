// (e) a vector broadcast against a matrix along each axis, a reduction over the middle axis
// of a 3-axis tensor, and a row reduction under an element-wise function; each against a
// hand loop.
#include "cases.hpp"
#include "common.hpp"
#include "loom_policy.hpp"
#include "peers.hpp"
#include "simd_util.hpp"

#include <cmath>
#include <cstring>

namespace bench {
namespace {

constexpr loom::axis<"i"> i_ax;
constexpr loom::axis<"j"> j_ax;
constexpr loom::axis<"a"> a_ax;
constexpr loom::axis<"b"> b_ax;
constexpr loom::axis<"c"> c_ax;

using eigen2 = Eigen::Tensor<float, 2, Eigen::RowMajor>;
using eigen1 = Eigen::Tensor<float, 1, Eigen::RowMajor>;

// y{i,j} = x{i,j} + v{j} (row = true: v runs along the contiguous axis) or + u{i}.
void bcast_group(int threads, std::size_t rows, std::size_t cols, bool row) {
    const std::size_t n = rows * cols, vn = row ? cols : rows;
    const auto x = uniform(n, 1.f, 2.f, 31), v = uniform(vn, 1.f, 2.f, 32);
    aligned_array<float> ref(n), y(n);
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) ref[i * cols + j] = x[i * cols + j] + v[row ? j : i];
    const std::string sz = std::to_string(rows) + "x" + std::to_string(cols);
    group g(row ? "e.bcast_row" : "e.bcast_col",
            row ? "e broadcast x{i,j} + v{j} (along the contiguous axis), " + sz
                : "e broadcast x{i,j} + u{i} (along the outer axis), " + sz,
            threads, 4.0 * (2.0 * double(n) + double(vn)), 0);
    g.reference(ref.data(), n);
    g.run("hand: loop (GCC-vectorised)", [&] {
        par_for(threads, rows, 1, [&](std::size_t lo, std::size_t hi) {
            for (std::size_t i = lo; i < hi; ++i) {
                const float* px = x.data() + i * cols;
                float* py = y.data() + i * cols;
                if (row) {
                    for (std::size_t j = 0; j < cols; ++j) py[j] = px[j] + v[j];
                } else {
                    const float u = v[i];
                    for (std::size_t j = 0; j < cols; ++j) py[j] = px[j] + u;
                }
            }
        });
    }, y.data(), true);
    {
        const auto R = static_cast<loom::index_t>(rows), C = static_cast<loom::index_t>(cols);
        loom::tensor<float, "i", "j"> lx({i_ax = R, j_ax = C}), ly({i_ax = R, j_ax = C});
        std::memcpy(lx.data(), x.data(), n * 4);
        if (row) {
            loom::tensor<float, "j"> lv({j_ax = C}, 0.f);
            std::memcpy(lv.data(), v.data(), vn * 4);
            loom_row(g, [&](auto policy) { ly.assign(policy, lx + lv); }, ly.data());
        } else {
            loom::tensor<float, "i"> lu({i_ax = R}, 0.f);
            std::memcpy(lu.data(), v.data(), vn * 4);
            loom_row(g, [&](auto policy) { ly.assign(policy, lx + lu); }, ly.data());
        }
    }
    {
        const auto R = Eigen::Index(rows), C = Eigen::Index(cols);
        eigen2 ex(R, C), ey(R, C);
        eigen1 ev(static_cast<Eigen::Index>(vn));
        std::memcpy(ex.data(), x.data(), n * 4), std::memcpy(ev.data(), v.data(), vn * 4);
        const Eigen::array<Eigen::Index, 2> shape = row ? Eigen::array<Eigen::Index, 2>{1, C}
                                                        : Eigen::array<Eigen::Index, 2>{R, 1};
        const Eigen::array<Eigen::Index, 2> bc = row ? Eigen::array<Eigen::Index, 2>{R, 1}
                                                     : Eigen::array<Eigen::Index, 2>{1, C};
        g.run(std::string("Eigen Tensor reshape().broadcast()") + (threads > 1 ? " (ThreadPoolDevice)" : ""), [&] {
            eigen_on(threads, [&](const auto& dev) { ey.device(dev) = ex + ev.reshape(shape).broadcast(bc); });
        }, ey.data());
    }
    if (threads == 1) {
        const std::array<std::size_t, 2> sh{rows, cols};
        xt::xtensor<float, 2> xx = xt::adapt(x.data(), n, xt::no_ownership(), sh);
        xt::xtensor<float, 1> xv = xt::adapt(v.data(), vn, xt::no_ownership(), std::array<std::size_t, 1>{vn});
        xt::xtensor<float, 2> xy(sh);
        if (row)
            g.run("xtensor+xsimd x + v, noalias", [&] { xt::noalias(xy) = xx + xv; }, xy.data());
        else
            g.run("xtensor+xsimd x + view(u, all, newaxis), noalias", [&] {
                xt::noalias(xy) = xx + xt::view(xv, xt::all(), xt::newaxis());
            }, xy.data());
    }
}

// y{a,c} = sum over b of x{a,b,c}.
void mid_reduce_group(int threads, std::size_t na, std::size_t nb, std::size_t nc) {
    const std::size_t n = na * nb * nc, m = na * nc;
    const auto x = uniform(n, 0.f, 1.f, 33);
    aligned_array<float> ref(m), y(m);
    for (std::size_t a = 0; a < na; ++a)
        for (std::size_t c = 0; c < nc; ++c) {
            double s = 0;
            for (std::size_t b = 0; b < nb; ++b) s += x[(a * nb + b) * nc + c];
            ref[a * nc + c] = float(s);
        }
    group g("e.mid_reduce", "e sum over the middle axis of {a,b,c} " + std::to_string(na) + "x" +
                                std::to_string(nb) + "x" + std::to_string(nc), threads,
            4.0 * double(n + m), 0);
    g.reference(ref.data(), m);
    g.run("hand: a, b, c loops (row accumulate, vectorised)", [&] {
        par_for(threads, na, 1, [&](std::size_t lo, std::size_t hi) {
            for (std::size_t a = lo; a < hi; ++a) {
                float* py = y.data() + a * nc;
                for (std::size_t c = 0; c < nc; ++c) py[c] = 0.f;
                for (std::size_t b = 0; b < nb; ++b) {
                    const float* px = x.data() + (a * nb + b) * nc;
                    for (std::size_t c = 0; c < nc; ++c) py[c] += px[c];
                }
            }
        });
    }, y.data(), true);
    {
        const auto A = static_cast<loom::index_t>(na), B = static_cast<loom::index_t>(nb),
                   C = static_cast<loom::index_t>(nc);
        loom::tensor<float, "a", "b", "c"> lx({a_ax = A, b_ax = B, c_ax = C});
        loom::tensor<float, "a", "c"> ly({a_ax = A, c_ax = C});
        std::memcpy(lx.data(), x.data(), n * 4);
        loom_row(g, [&](auto policy) { ly.assign(policy, loom::sum(lx, b_ax)); }, ly.data());
    }
    {
        Eigen::Tensor<float, 3, Eigen::RowMajor> ex(static_cast<Eigen::Index>(na), static_cast<Eigen::Index>(nb), static_cast<Eigen::Index>(nc));
        eigen2 ey(static_cast<Eigen::Index>(na), static_cast<Eigen::Index>(nc));
        std::memcpy(ex.data(), x.data(), n * 4);
        const Eigen::array<int, 1> mid{1};
        g.run(std::string("Eigen Tensor .sum(dim 1)") + (threads > 1 ? " (ThreadPoolDevice)" : ""), [&] {
            eigen_on(threads, [&](const auto& dev) { ey.device(dev) = ex.sum(mid); });
        }, ey.data());
    }
    if (threads == 1) {
        const std::array<std::size_t, 3> sh{na, nb, nc};
        xt::xtensor<float, 3> xx = xt::adapt(x.data(), n, xt::no_ownership(), sh);
        xt::xtensor<float, 2> xy(std::array<std::size_t, 2>{na, nc});
        g.run("xtensor+xsimd sum(x, {1}), noalias", [&] { xt::noalias(xy) = xt::sum(xx, {1}); }, xy.data());
        g.run("xtensor+xsimd sum(x, {1}, immediate)", [&] {
            xt::noalias(xy) = xt::sum(xx, {1}, xt::evaluation_strategy::immediate);
        }, xy.data());
    }
}

// y{i} = sqrt(sum over j of x{i,j}^2): a reduction along the contiguous axis under an
// element-wise function, where expression templates that evaluate the sum inside the outer
// function's loop read x across rows.
void row_norm_group(int threads, std::size_t rows, std::size_t cols) {
    const std::size_t n = rows * cols;
    const auto x = uniform(n, -1.f, 1.f, 34);
    aligned_array<float> ref(rows), y(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        double s = 0;
        for (std::size_t j = 0; j < cols; ++j) s += double(x[i * cols + j]) * x[i * cols + j];
        ref[i] = float(std::sqrt(s));
    }
    group g("e.row_norm", "e row norm sqrt(sum(x * x, j)) " + std::to_string(rows) + "x" +
                              std::to_string(cols), threads, 4.0 * double(n), 0);
    g.reference(ref.data(), rows);
    g.run("hand: xsimd, 4 FMA accumulators per row", [&] {
        par_for(threads, rows, 1, [&](std::size_t lo, std::size_t hi) {
            for (std::size_t i = lo; i < hi; ++i) {
                const float* px = x.data() + i * cols;
                fbatch s0(0.f), s1(0.f), s2(0.f), s3(0.f);
                std::size_t j = 0;
                for (; j + 4 * W <= cols; j += 4 * W) {
                    const fbatch v0 = load(px + j), v1 = load(px + j + W);
                    const fbatch v2 = load(px + j + 2 * W), v3 = load(px + j + 3 * W);
                    s0 = xsimd::fma(v0, v0, s0), s1 = xsimd::fma(v1, v1, s1);
                    s2 = xsimd::fma(v2, v2, s2), s3 = xsimd::fma(v3, v3, s3);
                }
                for (; j + W <= cols; j += W) {
                    const fbatch v = load(px + j);
                    s0 = xsimd::fma(v, v, s0);
                }
                float s = hsum((s0 + s1) + (s2 + s3));
                for (; j < cols; ++j) s += px[j] * px[j];
                y[i] = std::sqrt(s);
            }
        });
    }, y.data(), true);
    {
        const auto R = static_cast<loom::index_t>(rows), C = static_cast<loom::index_t>(cols);
        loom::tensor<float, "i", "j"> lx({i_ax = R, j_ax = C});
        loom::tensor<float, "i"> ly({i_ax = R});
        std::memcpy(lx.data(), x.data(), n * 4);
        loom_row(g, [&](auto policy) { ly.assign(policy, loom::sqrt(loom::sum(lx * lx, j_ax))); },
                 ly.data(), "", " sqrt(sum(x * x, j))");
    }
    {
        eigen2 ex(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
        eigen1 ey(static_cast<Eigen::Index>(rows));
        std::memcpy(ex.data(), x.data(), n * 4);
        const Eigen::array<int, 1> along{1};
        g.run(std::string("Eigen Tensor (x * x).sum(dim 1).sqrt()") + (threads > 1 ? " (ThreadPoolDevice)" : ""), [&] {
            eigen_on(threads, [&](const auto& dev) { ey.device(dev) = (ex * ex).sum(along).sqrt(); });
        }, ey.data());
    }
    if (threads == 1) {
        const std::array<std::size_t, 2> sh{rows, cols};
        xt::xtensor<float, 2> xx = xt::adapt(x.data(), n, xt::no_ownership(), sh);
        xt::xtensor<float, 1> xy(std::array<std::size_t, 1>{rows});
        g.run("xtensor+xsimd sqrt(sum(x * x, {1})), noalias", [&] {
            xt::noalias(xy) = xt::sqrt(xt::sum(xx * xx, {1}));
        }, xy.data());
    }
}

}  // namespace

void case_views(int threads) {
    const bool quick = opts().quick;
    const std::size_t s = quick ? 1024 : 4096;
    if (selected("e.bcast_row")) bcast_group(threads, s, s, true);
    if (selected("e.bcast_col")) bcast_group(threads, s, s, false);
    if (selected("e.mid_reduce")) {
        if (quick) mid_reduce_group(threads, 64, 256, 256);
        else mid_reduce_group(threads, 256, 256, 256);
    }
    if (selected("e.row_norm")) row_norm_group(threads, s, s);
}

}  // namespace bench
