// examples/tour.cpp written with xtensor (and xsimd, as a user after speed builds it), for the
// compile-cost comparison (g) of bench/run: the same computations (broadcasting, reductions,
// a contraction, a custom element function, a 3x3 stencil with zero and clamp boundaries, a
// gather), each printed and checked against the same hand loop. Built with g++ -std=c++20
// -O2 -DXTENSOR_USE_XSIMD -c.
#include <xtensor/xindex_view.hpp>
#include <xtensor/xio.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xreducer.hpp>
#include <xtensor/xtensor.hpp>
#include <xtensor/xvectorize.hpp>
#include <xtensor/xview.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <stdexcept>
#include <string>

template <std::size_t R>
using tensor = xt::xtensor<float, R>;

namespace {

int failures = 0;

void lesson(const char* title, const char* text) {
    std::cout << "\n=== " << title << " ===\n" << text << '\n';
}

template <std::size_t R>
void check(const char* what, const tensor<R>& got, const tensor<R>& want) {
    int bad = 0;
    for (std::size_t k = 0; k < got.size(); ++k) {
        const double g = got.data()[k], w = want.data()[k];
        if (std::abs(g - w) <= 1e-5 * (1 + std::abs(w))) continue;
        if (bad++ < 5)
            std::cout << "MISMATCH in " << what << " at element " << k << ": xtensor " << g
                      << ", hand loop " << w << '\n';
    }
    std::cout << "check " << what << ": " << (bad ? "FAILED" : "matches the hand loop") << '\n';
    failures += bad != 0;
}

}  // namespace

int main() {
    using xt::all;
    using xt::newaxis;
    using xt::range;
    // ------------------------------------------------------------------------------------
    lesson("1. Broadcasting", "A {batch, feature} tensor plus a {feature} bias.");
    tensor<2> act({2, 3});
    for (std::size_t bi = 0; bi < 2; ++bi)
        for (std::size_t fi = 0; fi < 3; ++fi) act(bi, fi) = float(10 * bi + fi);
    tensor<1> bias = {0.5f, -1.0f, 2.0f};
    tensor<1> shift = {100.0f, 200.0f};

    tensor<2> h = act + bias;
    std::cout << h << '\n';
    tensor<2> h_want({2, 3});
    for (std::size_t bi = 0; bi < 2; ++bi)
        for (std::size_t fi = 0; fi < 3; ++fi) h_want(bi, fi) = act(bi, fi) + bias(fi);
    check("act + bias", h, h_want);

    tensor<2> fb = xt::view(bias, all(), newaxis()) + shift;
    tensor<2> bf = shift + xt::view(bias, all(), newaxis());
    std::cout << fb << '\n';
    tensor<2> fb_want({3, 2});
    for (std::size_t fi = 0; fi < 3; ++fi)
        for (std::size_t bi = 0; bi < 2; ++bi) fb_want(fi, bi) = bias(fi) + shift(bi);
    check("bias + shift", fb, fb_want);
    check("shift + bias", bf, fb_want);

    // ------------------------------------------------------------------------------------
    lesson("2. Reductions", "sum, max over feature; mean over time and feature.");
    tensor<1> sums = xt::sum(act, {1});
    tensor<1> maxes = xt::amax(act, {1});
    std::cout << "sum over feature: " << sums << "\nmax over feature: " << maxes << '\n';
    tensor<3> series({2, 4, 3});
    for (std::size_t bi = 0; bi < 2; ++bi)
        for (std::size_t ti = 0; ti < 4; ++ti)
            for (std::size_t fi = 0; fi < 3; ++fi)
                series(bi, ti, fi) = float(bi * 100 + ti * ti) - float(fi);
    tensor<1> means = xt::mean(series, {1, 2});
    std::cout << "mean over time and feature: " << means << '\n';

    // (Not `tensor<1> t({2})`: for one axis that is a one-element tensor holding 2.)
    tensor<1> sums_want = xt::zeros<float>({2}), maxes_want = sums_want, means_want = sums_want;
    for (std::size_t bi = 0; bi < 2; ++bi) {
        float s = 0, m = -INFINITY, s3 = 0;
        for (std::size_t fi = 0; fi < 3; ++fi) {
            s += act(bi, fi);
            m = std::max(m, act(bi, fi));
        }
        for (std::size_t ti = 0; ti < 4; ++ti)
            for (std::size_t fi = 0; fi < 3; ++fi) s3 += series(bi, ti, fi);
        sums_want(bi) = s, maxes_want(bi) = m, means_want(bi) = s3 / 12;
    }
    check("sum over feature", sums, sums_want);
    check("max over feature", maxes, maxes_want);
    check("mean over time and feature", means, means_want);

    // ------------------------------------------------------------------------------------
    lesson("3. A contraction", "x * w broadcast to {batch, in, out}, summed over in.");
    tensor<2> xin({2, 4}), w({4, 3});
    for (std::size_t bi = 0; bi < 2; ++bi)
        for (std::size_t ii = 0; ii < 4; ++ii) xin(bi, ii) = 0.5f * float(bi + ii);
    for (std::size_t ii = 0; ii < 4; ++ii)
        for (std::size_t oi = 0; oi < 3; ++oi) w(ii, oi) = float(ii) - float(oi);
    tensor<2> prod = xt::sum(xt::view(xin, all(), all(), newaxis()) * xt::view(w, newaxis(), all(), all()), {1});
    std::cout << prod << '\n';
    tensor<2> prod_want({2, 3});
    for (std::size_t bi = 0; bi < 2; ++bi)
        for (std::size_t oi = 0; oi < 3; ++oi) {
            float acc = 0;
            for (std::size_t ii = 0; ii < 4; ++ii) acc += xin(bi, ii) * w(ii, oi);
            prod_want(bi, oi) = acc;
        }
    check("sum(x * w, in)", prod, prod_want);

    // ------------------------------------------------------------------------------------
    lesson("4. Your own element function", "A tanh-GELU, then a clip at a per-feature cap.");
    auto gelu = [](float v) {
        return 0.5f * v * (1.0f + std::tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
    };
    tensor<2> pre({2, 3});
    for (std::size_t bi = 0; bi < 2; ++bi)
        for (std::size_t fi = 0; fi < 3; ++fi) pre(bi, fi) = float(fi) - 1.5f * float(bi);
    tensor<1> cap = {0.5f, 1.0f, 1.5f};
    auto clip = xt::vectorize([](float v, float c) { return v > c ? c : v; });
    tensor<2> act2 = clip(xt::vectorize(gelu)(pre), cap);
    std::cout << act2 << '\n';
    tensor<2> act2_want({2, 3});
    for (std::size_t bi = 0; bi < 2; ++bi)
        for (std::size_t fi = 0; fi < 3; ++fi) act2_want(bi, fi) = std::min(gelu(pre(bi, fi)), cap(fi));
    check("clip(gelu(pre), cap)", act2, act2_want);

    // ------------------------------------------------------------------------------------
    lesson("5. Stencils and gathers", "A 3x3 blur with zero and clamp boundaries; a row gather.");
    tensor<2> img({4, 5});
    for (std::size_t yi = 0; yi < 4; ++yi)
        for (std::size_t xi = 0; xi < 5; ++xi) img(yi, xi) = float(yi * 5 + xi);
    tensor<2> k = {{1, 2, 1}, {2, 4, 2}, {1, 2, 1}};
    // Padded copies (xt::pad of Debian's xtensor 0.24.3 returns zeros under -std=c++20, so
    // the padding is written with views): zero boundary, then the edge repeated (clamp).
    tensor<2> zero_padded = xt::zeros<float>({6, 7});
    xt::view(zero_padded, range(1, 5), range(1, 6)) = img;
    tensor<2> edge_padded = zero_padded;
    xt::view(edge_padded, 0, range(1, 6)) = xt::view(img, 0, all());
    xt::view(edge_padded, 5, range(1, 6)) = xt::view(img, 3, all());
    xt::view(edge_padded, all(), 0) = xt::view(edge_padded, all(), 1);
    xt::view(edge_padded, all(), 6) = xt::view(edge_padded, all(), 5);
    tensor<2> blurred = xt::zeros<float>({4, 5}), clamped = xt::zeros<float>({4, 5});
    for (std::size_t a = 0; a < 3; ++a)
        for (std::size_t c = 0; c < 3; ++c) {
            blurred += k(a, c) * xt::view(zero_padded, range(a, a + 4), range(c, c + 5));
            clamped += k(a, c) * xt::view(edge_padded, range(a, a + 4), range(c, c + 5));
        }
    blurred /= 16.0f;
    clamped /= 16.0f;
    std::cout << blurred << "\nwith clamp:\n" << clamped << '\n';

    tensor<2> blurred_want({4, 5}), clamped_want({4, 5});
    for (int yi = 0; yi < 4; ++yi)
        for (int xi = 0; xi < 5; ++xi) {
            float s = 0, sc = 0;
            for (int a = 0; a < 3; ++a)
                for (int c = 0; c < 3; ++c) {
                    const int yy = yi + a - 1, xx = xi + c - 1;
                    const float kv = k(a, c);
                    if (yy >= 0 && yy < 4 && xx >= 0 && xx < 5) s += img(yy, xx) * kv;
                    sc += img(std::clamp(yy, 0, 3), std::clamp(xx, 0, 4)) * kv;
                }
            blurred_want(yi, xi) = s / 16, clamped_want(yi, xi) = sc / 16;
        }
    check("3x3 blur, zero boundary", blurred, blurred_want);
    check("3x3 blur, clamp boundary", clamped, clamped_want);

    tensor<2> embedding({5, 3});
    for (std::size_t ti = 0; ti < 5; ++ti)
        for (std::size_t di = 0; di < 3; ++di) embedding(ti, di) = float(10 * ti + di);
    xt::xtensor<std::size_t, 1> ids = {3, 0, 3, 1};
    for (auto id : ids)
        if (id >= 5) throw std::out_of_range("gather index out of range");
    tensor<2> looked_up = xt::view(embedding, xt::keep(ids), all());
    std::cout << looked_up << '\n';
    tensor<2> looked_up_want({4, 3});
    for (std::size_t pi = 0; pi < 4; ++pi)
        for (std::size_t di = 0; di < 3; ++di) looked_up_want(pi, di) = embedding(ids(pi), di);
    check("gather rows", looked_up, looked_up_want);

    std::cout << '\n'
              << (failures ? std::to_string(failures) + " check(s) FAILED" : "all checks passed")
              << '\n';
    return failures ? 1 : 0;
}
