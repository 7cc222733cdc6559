// examples/tour.cpp written with Eigen's Tensor module, for the compile-cost comparison (g)
// of bench/run: the same computations (named broadcasting, reductions, a contraction, a
// custom element function, a 3x3 stencil with zero and clamp boundaries, a gather), each
// printed and checked against the same hand loop. Built with g++ -std=c++20 -O2 -c.
#include <unsupported/Eigen/CXX11/Tensor>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>

using Eigen::Index;
template <int R>
using tensor = Eigen::Tensor<float, R, Eigen::RowMajor>;
template <int R>
using dims = Eigen::array<Index, R>;

namespace {

int failures = 0;

void lesson(const char* title, const char* text) {
    std::cout << "\n=== " << title << " ===\n" << text << '\n';
}

template <int R>
void check(const char* what, const tensor<R>& got, const tensor<R>& want) {
    int bad = 0;
    for (Index k = 0; k < got.size(); ++k) {
        const double g = got.data()[k], w = want.data()[k];
        if (std::abs(g - w) <= 1e-5 * (1 + std::abs(w))) continue;
        if (bad++ < 5)
            std::cout << "MISMATCH in " << what << " at element " << k << ": Eigen " << g
                      << ", hand loop " << w << '\n';
    }
    std::cout << "check " << what << ": " << (bad ? "FAILED" : "matches the hand loop") << '\n';
    failures += bad != 0;
}

}  // namespace

int main() {
    // ------------------------------------------------------------------------------------
    lesson("1. Broadcasting", "A {batch, feature} tensor plus a {feature} bias.");
    tensor<2> act(2, 3);
    for (int bi = 0; bi < 2; ++bi)
        for (int fi = 0; fi < 3; ++fi) act(bi, fi) = float(10 * bi + fi);
    tensor<1> bias(3), shift(2);
    bias.setValues({0.5f, -1.0f, 2.0f});
    shift.setValues({100.0f, 200.0f});

    tensor<2> h = act + bias.reshape(dims<2>{1, 3}).broadcast(dims<2>{2, 1});
    std::cout << h << '\n';
    tensor<2> h_want(2, 3);
    for (int bi = 0; bi < 2; ++bi)
        for (int fi = 0; fi < 3; ++fi) h_want(bi, fi) = act(bi, fi) + bias(fi);
    check("act + bias", h, h_want);

    tensor<2> fb = bias.reshape(dims<2>{3, 1}).broadcast(dims<2>{1, 2}) +
                   shift.reshape(dims<2>{1, 2}).broadcast(dims<2>{3, 1});
    tensor<2> bf = shift.reshape(dims<2>{1, 2}).broadcast(dims<2>{3, 1}) +
                   bias.reshape(dims<2>{3, 1}).broadcast(dims<2>{1, 2});
    std::cout << fb << '\n';
    tensor<2> fb_want(3, 2);
    for (int fi = 0; fi < 3; ++fi)
        for (int bi = 0; bi < 2; ++bi) fb_want(fi, bi) = bias(fi) + shift(bi);
    check("bias + shift", fb, fb_want);
    check("shift + bias", bf, fb_want);

    // ------------------------------------------------------------------------------------
    lesson("2. Reductions", "sum, max over feature; mean over time and feature.");
    tensor<1> sums = act.sum(Eigen::array<int, 1>{1});
    tensor<1> maxes = act.maximum(Eigen::array<int, 1>{1});
    std::cout << "sum over feature: " << sums << "\nmax over feature: " << maxes << '\n';
    tensor<3> series(2, 4, 3);
    for (int bi = 0; bi < 2; ++bi)
        for (int ti = 0; ti < 4; ++ti)
            for (int fi = 0; fi < 3; ++fi) series(bi, ti, fi) = float(bi * 100 + ti * ti - fi);
    tensor<1> means = series.mean(Eigen::array<int, 2>{1, 2});
    std::cout << "mean over time and feature: " << means << '\n';

    tensor<1> sums_want(2), maxes_want(2), means_want(2);
    for (int bi = 0; bi < 2; ++bi) {
        float s = 0, m = -INFINITY, s3 = 0;
        for (int fi = 0; fi < 3; ++fi) {
            s += act(bi, fi);
            m = std::max(m, act(bi, fi));
        }
        for (int ti = 0; ti < 4; ++ti)
            for (int fi = 0; fi < 3; ++fi) s3 += series(bi, ti, fi);
        sums_want(bi) = s, maxes_want(bi) = m, means_want(bi) = s3 / 12;
    }
    check("sum over feature", sums, sums_want);
    check("max over feature", maxes, maxes_want);
    check("mean over time and feature", means, means_want);

    // ------------------------------------------------------------------------------------
    lesson("3. A contraction", "x * w summed over in: contract() with an index pair.");
    tensor<2> xin(2, 4), w(4, 3);
    for (int bi = 0; bi < 2; ++bi)
        for (int ii = 0; ii < 4; ++ii) xin(bi, ii) = 0.5f * float(bi + ii);
    for (int ii = 0; ii < 4; ++ii)
        for (int oi = 0; oi < 3; ++oi) w(ii, oi) = float(ii - oi);
    tensor<2> prod = xin.contract(w, Eigen::array<Eigen::IndexPair<int>, 1>{Eigen::IndexPair<int>(1, 0)});
    std::cout << prod << '\n';
    tensor<2> prod_want(2, 3);
    for (int bi = 0; bi < 2; ++bi)
        for (int oi = 0; oi < 3; ++oi) {
            float acc = 0;
            for (int ii = 0; ii < 4; ++ii) acc += xin(bi, ii) * w(ii, oi);
            prod_want(bi, oi) = acc;
        }
    check("x * w contracted over in", prod, prod_want);

    // ------------------------------------------------------------------------------------
    lesson("4. Your own element function", "A tanh-GELU, then a clip at a per-feature cap.");
    auto gelu = [](float v) {
        return 0.5f * v * (1.0f + std::tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
    };
    tensor<2> pre(2, 3);
    for (int bi = 0; bi < 2; ++bi)
        for (int fi = 0; fi < 3; ++fi) pre(bi, fi) = float(fi) - 1.5f * float(bi);
    tensor<1> cap(3);
    cap.setValues({0.5f, 1.0f, 1.5f});
    tensor<2> act2 = pre.unaryExpr(gelu).binaryExpr(
        cap.reshape(dims<2>{1, 3}).broadcast(dims<2>{2, 1}),
        [](float v, float c) { return v > c ? c : v; });
    std::cout << act2 << '\n';
    tensor<2> act2_want(2, 3);
    for (int bi = 0; bi < 2; ++bi)
        for (int fi = 0; fi < 3; ++fi) act2_want(bi, fi) = std::min(gelu(pre(bi, fi)), cap(fi));
    check("clip(gelu(pre), cap)", act2, act2_want);

    // ------------------------------------------------------------------------------------
    lesson("5. Stencils and gathers", "A 3x3 blur with zero and clamp boundaries; a row gather.");
    tensor<2> img(4, 5);
    for (int yi = 0; yi < 4; ++yi)
        for (int xi = 0; xi < 5; ++xi) img(yi, xi) = float(yi * 5 + xi);
    tensor<2> k(3, 3);
    k.setValues({{1, 2, 1}, {2, 4, 2}, {1, 2, 1}});
    const Eigen::array<std::pair<Index, Index>, 2> pad{std::make_pair(1, 1), std::make_pair(1, 1)};
    tensor<2> blurred = img.pad(pad).convolve(k, Eigen::array<Index, 2>{0, 1}) / 16.0f;
    std::cout << blurred << '\n';
    // Clamp: repeat the edge rows and columns, then the same valid convolution.
    const tensor<2> top = img.slice(dims<2>{0, 0}, dims<2>{1, 5});
    const tensor<2> bottom = img.slice(dims<2>{3, 0}, dims<2>{1, 5});
    const tensor<2> rows_padded = top.concatenate(img, 0).concatenate(bottom, 0);
    const tensor<2> left = rows_padded.slice(dims<2>{0, 0}, dims<2>{6, 1});
    const tensor<2> right = rows_padded.slice(dims<2>{0, 4}, dims<2>{6, 1});
    const tensor<2> edge_padded = left.concatenate(rows_padded, 1).concatenate(right, 1);
    tensor<2> clamped = edge_padded.convolve(k, Eigen::array<Index, 2>{0, 1}) / 16.0f;
    std::cout << "with clamp:\n" << clamped << '\n';

    tensor<2> blurred_want(4, 5), clamped_want(4, 5);
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

    tensor<2> embedding(5, 3);
    for (int ti = 0; ti < 5; ++ti)
        for (int di = 0; di < 3; ++di) embedding(ti, di) = float(10 * ti + di);
    Eigen::Tensor<int, 1, Eigen::RowMajor> ids(4);
    ids.setValues({3, 0, 3, 1});
    tensor<2> looked_up(4, 3);
    for (int pi = 0; pi < 4; ++pi) {
        if (ids(pi) < 0 || ids(pi) >= 5) throw std::out_of_range("gather index out of range");
        looked_up.chip(pi, 0) = embedding.chip(ids(pi), 0);
    }
    std::cout << looked_up << '\n';
    tensor<2> looked_up_want(4, 3);
    for (int pi = 0; pi < 4; ++pi)
        for (int di = 0; di < 3; ++di) looked_up_want(pi, di) = embedding(ids(pi), di);
    check("gather rows", looked_up, looked_up_want);

    std::cout << '\n'
              << (failures ? std::to_string(failures) + " check(s) FAILED" : "all checks passed")
              << '\n';
    return failures ? 1 : 0;
}
