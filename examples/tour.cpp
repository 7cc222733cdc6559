// A guided tour of loom, in five short lessons.
//
// Each lesson writes one computation with named axes, prints the loop nest loom
// chose for it (loom::explain), prints the result, and checks it against the
// hand-written loop it replaces. The program exits nonzero if any check fails,
// so it runs as a test (ctest -R example.tour).
#include <loom/loom.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>

// Axes are named once; the names, not positions, carry the meaning below.
constexpr loom::axis<"batch"> b;
constexpr loom::axis<"feature"> f;
constexpr loom::axis<"time"> t;
constexpr loom::axis<"in"> i;
constexpr loom::axis<"out"> o;
constexpr loom::axis<"y"> y;
constexpr loom::axis<"x"> x;
constexpr loom::axis<"ky"> ky;
constexpr loom::axis<"kx"> kx;
constexpr loom::axis<"token"> token;
constexpr loom::axis<"dim"> dim;
constexpr loom::axis<"pos"> pos;

namespace {

int failures = 0;

void lesson(const char* title, const char* text) {
    std::cout << "\n=== " << title << " ===\n" << text << '\n';
}

// Compares loom's result with the hand loop's, element by element (both have the same
// axes in the same order, so their memory lines up), and names the first few that differ.
template <class T, class Axes>
void check(const char* what, const loom::basic_tensor<T, Axes>& got,
           const loom::basic_tensor<T, Axes>& want) {
    int bad = 0;
    for (loom::index_t k = 0; k < got.size(); ++k) {
        const double g = got.data()[k], w = want.data()[k];
        if (std::abs(g - w) <= 1e-5 * (1 + std::abs(w))) continue;
        if (bad++ < 5)
            std::cout << "MISMATCH in " << what << " at element " << k << " of "
                      << got.shape().to_string() << ": loom " << g << ", hand loop " << w << '\n';
    }
    std::cout << "check " << what << ": " << (bad ? "FAILED" : "matches the hand loop") << '\n';
    failures += bad != 0;
}

}  // namespace

int main() {
    // ------------------------------------------------------------------------------------
    //! [broadcasting]
    lesson("1. Named broadcasting",
           "Operands are matched by axis name. A {batch, feature} tensor plus a {feature}\n"
           "bias adds the bias to every batch row; no axis needs to be lined up by hand.");
    loom::tensor<float, "batch", "feature"> act({b = 2, f = 3},
                                                [](auto p) { return float(10 * p[b] + p[f]); });
    loom::tensor<float, "feature"> bias = {0.5f, -1.0f, 2.0f};
    loom::tensor<float, "batch"> shift = {100.0f, 200.0f};

    auto biased = act + bias;
    std::cout << loom::explain(biased);
    loom::tensor<float, "batch", "feature"> h = biased;
    std::cout << h << '\n';

    // Equivalent C: for (b) for (f) want[b][f] = act[b][f] + bias[f];
    loom::tensor<float, "batch", "feature"> h_want({b = 2, f = 3});
    for (int bi = 0; bi < 2; ++bi)
        for (int fi = 0; fi < 3; ++fi) h_want(b = bi, f = fi) = act(b = bi, f = fi) + bias(f = fi);
    check("act + bias", h, h_want);

    std::cout << "\nTwo tensors with no axis in common make an outer sum. The destination's\n"
                 "type fixes the memory order, so either operand order gives the same tensor:\n";
    std::cout << loom::explain(bias + shift);
    loom::tensor<float, "feature", "batch"> fb = bias + shift;
    loom::tensor<float, "feature", "batch"> bf = shift + bias;
    std::cout << fb << '\n';

    // Equivalent C: for (f) for (b) want[f][b] = bias[f] + shift[b];
    loom::tensor<float, "feature", "batch"> fb_want({f = 3, b = 2});
    for (int fi = 0; fi < 3; ++fi)
        for (int bi = 0; bi < 2; ++bi) fb_want(f = fi, b = bi) = bias(f = fi) + shift(b = bi);
    check("bias + shift", fb, fb_want);
    check("shift + bias", bf, fb_want);

    //! [broadcasting]
    // ------------------------------------------------------------------------------------
    //! [reductions]
    lesson("2. Reductions over named axes",
           "sum(e, axis), max(e, axis) and mean(e, axis, axis) name what they reduce;\n"
           "the axes left over are the result's axes.");
    auto row_sum = loom::sum(act, f);
    std::cout << loom::explain(row_sum);
    loom::tensor<float, "batch"> sums = row_sum;
    loom::tensor<float, "batch"> maxes = loom::max(act, f);
    std::cout << "sum over feature: " << sums << "\nmax over feature: " << maxes << '\n';

    loom::tensor<float, "batch", "time", "feature"> series({b = 2, t = 4, f = 3}, [](auto p) {
        return float(p[b] * 100 + p[t] * p[t] - p[f]);
    });
    auto avg = loom::mean(series, t, f);
    std::cout << loom::explain(avg);
    loom::tensor<float, "batch"> means = avg;
    std::cout << "mean over time and feature: " << means << '\n';

    // Equivalent C: for (b) { s = 0; m = -inf; for (f) { s += act[b][f]; m = max(m, act[b][f]); } }
    //               for (b) { s = 0; for (t) for (f) s += series[b][t][f]; mean[b] = s / (T * F); }
    loom::tensor<float, "batch"> sums_want({b = 2}), maxes_want({b = 2}), means_want({b = 2});
    for (int bi = 0; bi < 2; ++bi) {
        float s = 0, m = -INFINITY, s3 = 0;
        for (int fi = 0; fi < 3; ++fi) {
            s += act(b = bi, f = fi);
            m = std::max(m, act(b = bi, f = fi));
        }
        for (int ti = 0; ti < 4; ++ti)
            for (int fi = 0; fi < 3; ++fi) s3 += series(b = bi, t = ti, f = fi);
        sums_want(b = bi) = s, maxes_want(b = bi) = m, means_want(b = bi) = s3 / 12;
    }
    check("sum over feature", sums, sums_want);
    check("max over feature", maxes, maxes_want);
    check("mean over time and feature", means, means_want);

    //! [reductions]
    // ------------------------------------------------------------------------------------
    //! [contraction]
    lesson("3. A contraction is a reduction of a product",
           "x * w broadcasts to {batch, in, out}; sum(..., in) contracts it. loom fuses the\n"
           "two, so the {batch, in, out} product is never stored: the loop nest below keeps\n"
           "one running sum per output element, exactly like the hand-written matmul.");
    loom::tensor<float, "batch", "in"> xin({b = 2, i = 4}, [](auto p) { return 0.5f * float(p[b] + p[i]); });
    loom::tensor<float, "in", "out"> w({i = 4, o = 3}, [](auto p) { return float(p[i] - p[o]); });
    auto matmul = loom::sum(xin * w, i);
    std::cout << loom::explain(matmul);
    loom::tensor<float, "batch", "out"> prod = matmul;
    std::cout << prod << '\n';

    // Equivalent C, the triple loop:
    loom::tensor<float, "batch", "out"> prod_want({b = 2, o = 3});
    for (int bi = 0; bi < 2; ++bi)
        for (int oi = 0; oi < 3; ++oi) {
            float acc = 0;
            for (int ii = 0; ii < 4; ++ii) acc += xin(b = bi, i = ii) * w(i = ii, o = oi);
            prod_want(b = bi, o = oi) = acc;
        }
    check("sum(x * w, in)", prod, prod_want);

    //! [contraction]
    // ------------------------------------------------------------------------------------
    //! [map]
    lesson("4. Your own element function",
           "map(f, a, b, ...) applies any function to operands broadcast by name; it fuses\n"
           "like a built-in op (loom's own ops are written this way). Here a tanh-GELU, and\n"
           "a clip of each activation at a per-feature cap.");
    auto gelu = [](float v) {
        return 0.5f * v * (1.0f + std::tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
    };
    loom::tensor<float, "batch", "feature"> pre({b = 2, f = 3}, [](auto p) { return float(p[f]) - 1.5f * float(p[b]); });
    loom::tensor<float, "feature"> cap = {0.5f, 1.0f, 1.5f};
    auto activated = loom::map([](float v, float c) { return v > c ? c : v; }, loom::map(gelu, pre), cap);
    std::cout << loom::explain(activated);
    loom::tensor<float, "batch", "feature"> act2 = activated;
    std::cout << act2 << '\n';

    // Equivalent C: for (b) for (f) want[b][f] = min(gelu(pre[b][f]), cap[f]);
    loom::tensor<float, "batch", "feature"> act2_want({b = 2, f = 3});
    for (int bi = 0; bi < 2; ++bi)
        for (int fi = 0; fi < 3; ++fi)
            act2_want(b = bi, f = fi) = std::min(gelu(pre(b = bi, f = fi)), cap(f = fi));
    check("clip(gelu(pre), cap)", act2, act2_want);

    //! [map]
    // ------------------------------------------------------------------------------------
    //! [stencil]
    lesson("5. Stencils and gathers",
           "img.at(y = y + ky - 1, x = x + kx - 1) reads the image at shifted indices; times a\n"
           "{ky, kx} kernel and summed over ky and kx it is a 3x3 blur, with no padded copy.\n"
           "Outside the image the value is zero (loom::zero, the default); pass loom::clamp\n"
           "(repeat the edge) or loom::wrap (periodic) first to choose another boundary.");
    loom::tensor<float, "y", "x"> img({y = 4, x = 5}, [](auto p) { return float(p[y] * 5 + p[x]); });
    loom::tensor<float, "ky", "kx"> k = {{1, 2, 1}, {2, 4, 2}, {1, 2, 1}};  // sums to 16
    auto blur = loom::sum(img.at(y = y + ky - 1, x = x + kx - 1) * k, ky, kx) / 16.0f;
    std::cout << loom::explain(blur);
    loom::tensor<float, "y", "x"> blurred = blur;
    std::cout << blurred << '\n';
    loom::tensor<float, "y", "x"> clamped =
        loom::sum(img.at(loom::clamp, y = y + ky - 1, x = x + kx - 1) * k, ky, kx) / 16.0f;
    std::cout << "with loom::clamp:\n" << clamped << '\n';

    // Equivalent C: for (y) for (x) { s = 0; for (ky) for (kx) { yy = y + ky - 1; xx = x + kx - 1;
    //                 if (inside(yy, xx)) s += img[yy][xx] * k[ky][kx]; } out[y][x] = s / 16; }
    loom::tensor<float, "y", "x"> blurred_want({y = 4, x = 5}), clamped_want({y = 4, x = 5});
    for (int yi = 0; yi < 4; ++yi)
        for (int xi = 0; xi < 5; ++xi) {
            float s = 0, sc = 0;
            for (int a = 0; a < 3; ++a)
                for (int c = 0; c < 3; ++c) {
                    const int yy = yi + a - 1, xx = xi + c - 1;
                    const float kv = k(ky = a, kx = c);
                    if (yy >= 0 && yy < 4 && xx >= 0 && xx < 5) s += img(y = yy, x = xx) * kv;
                    sc += img(y = std::clamp(yy, 0, 3), x = std::clamp(xx, 0, 4)) * kv;
                }
            blurred_want(y = yi, x = xi) = s / 16, clamped_want(y = yi, x = xi) = sc / 16;
        }
    check("3x3 blur, zero boundary", blurred, blurred_want);
    check("3x3 blur, clamp boundary", clamped, clamped_want);

    std::cout << "\nA gather reads rows chosen by an index tensor: embedding.at(token = ids)\n"
                 "replaces the token axis by the ids' own axis, pos. Out-of-range ids throw\n"
                 "loom::index_error before anything is written.\n";
    loom::tensor<float, "token", "dim"> embedding({token = 5, dim = 3},
                                                  [](auto p) { return float(10 * p[token] + p[dim]); });
    loom::tensor<int, "pos"> ids = {3, 0, 3, 1};
    auto rows = embedding.at(token = ids);
    std::cout << loom::explain(rows);
    loom::tensor<float, "pos", "dim"> looked_up = rows;
    std::cout << looked_up << '\n';

    // Equivalent C: for (pos) for (dim) want[pos][dim] = embedding[ids[pos]][dim];
    loom::tensor<float, "pos", "dim"> looked_up_want({pos = 4, dim = 3});
    for (int pi = 0; pi < 4; ++pi)
        for (int di = 0; di < 3; ++di)
            looked_up_want(pos = pi, dim = di) = embedding(token = ids(pos = pi), dim = di);
    check("embedding.at(token = ids)", looked_up, looked_up_want);
    //! [stencil]

    std::cout << '\n'
              << (failures ? std::to_string(failures) + " check(s) FAILED" : "all checks passed")
              << '\n';
    return failures ? 1 : 0;
}
