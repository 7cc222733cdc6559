// loom's expression nodes in CUDA kernels.
//
// Compiling this file is the main check: every node type (leaf, scalar, maps with
// arithmetic, math functions, where, cast and user lambdas, generate, each reduction, a
// contraction, affine access under each boundary policy, a gather, rename) is bound and
// evaluated inside the __global__ eval_kernel, with --Werror cross-execution-space-call, so a
// host-only function reached from a node's eval() fails the build.
//
// Running it: with a GPU, each expression is evaluated on device memory and compared with
// loom::eval(loom::seq, e) on the host (exit 1 on a mismatch); without one (no device, no
// driver) it says why and exits 77, which CTest reads as "skipped".
#include <loom/loom.hpp>

#include <cuda_runtime.h>

#include <cmath>
#include <cstdio>
#include <type_traits>
#include <vector>

using loom::index_t;

constexpr loom::axis<"i"> i;
constexpr loom::axis<"j"> j;
constexpr loom::axis<"k"> k;
constexpr loom::axis<"y"> y;
constexpr loom::axis<"x"> x;
constexpr loom::axis<"ky"> ky;
constexpr loom::axis<"kx"> kx;
constexpr loom::axis<"vocab"> vocab;
constexpr loom::axis<"dim"> dim;

/// Evaluates a bound expression at every point of `s`, row-major, one point per thread.
template <class Node, class Axes>
__global__ void eval_kernel(Node node, loom::shape<Axes> s, float* out) {
    const index_t n = s.size();
    const index_t step = index_t(gridDim.x) * blockDim.x;
    for (index_t flat = index_t(blockIdx.x) * blockDim.x + threadIdx.x; flat < n; flat += step) {
        loom::point<Axes> p;
        index_t rest = flat;
        for (std::size_t a = Axes::size; a-- > 0;) {
            p.index[a] = rest % s.extent[a];
            rest /= s.extent[a];
        }
        out[flat] = static_cast<float>(node.eval(p));
    }
}

namespace {

struct session {
    bool gpu = false;
    int mismatches = 0;
};

// Device allocations of one case, freed together; `error` keeps the first failure.
struct device_memory {
    std::vector<void*> blocks;
    cudaError_t error = cudaSuccess;
    device_memory() = default;
    device_memory(const device_memory&) = delete;
    device_memory& operator=(const device_memory&) = delete;
    ~device_memory() {
        for (void* b : blocks) cudaFree(b);
    }
    template <class T>
    T* alloc(index_t n) {
        void* p = nullptr;
        const cudaError_t err = cudaMalloc(&p, sizeof(T) * static_cast<std::size_t>(n > 0 ? n : 1));
        if (err != cudaSuccess) {
            if (error == cudaSuccess) error = err;
            return nullptr;
        }
        blocks.push_back(p);
        return static_cast<T*>(p);
    }
};

// A view is captured as a leaf (loom::as_expr, the capture rule every operand goes through).
template <class T, class Axes>
loom::leaf<T, Axes> host_leaf(const loom::basic_tensor<T, Axes>& t) {
    return loom::as_expr(t.view());
}

// The same leaf over a device copy of the tensor's elements.
template <class T, class Axes>
loom::leaf<T, Axes> device_leaf(device_memory& mem, const loom::basic_tensor<T, Axes>& t) {
    T* d = mem.alloc<T>(t.size());
    if (d) {
        const cudaError_t err = cudaMemcpy(d, t.data(), sizeof(T) * static_cast<std::size_t>(t.size()),
                                           cudaMemcpyHostToDevice);
        if (err != cudaSuccess && mem.error == cudaSuccess) mem.error = err;
    }
    return loom::as_expr(loom::basic_tensor_view<const T, Axes>(d, t.shape()));
}

// Builds `make(leaves...)` over host tensors and over device copies of them: the two
// expressions have one type, so the kernel below is instantiated whether or not a GPU runs it.
template <class Make, class... Tensors>
void run_case(session& s, const char* name, Make make, const Tensors&... inputs) {
    const auto host_expr = make(host_leaf(inputs)...);
    using bound_type = decltype(host_expr.bind());
    static_assert(std::is_trivially_copyable_v<bound_type>,
                  "a bound expression is copied as bytes into a kernel's parameters");

    const auto want = loom::eval(loom::seq, host_expr);
    using axes = typename std::remove_cvref_t<decltype(want)>::axes_type;
    if (!s.gpu) {
        std::printf("host only %-28s %s\n", name, want.shape().to_string().c_str());
        return;
    }

    device_memory mem;
    const auto dev_expr = make(device_leaf(mem, inputs)...);
    const auto bound = dev_expr.bind();
    static_assert(std::is_same_v<decltype(bound), const bound_type>);
    const index_t n = want.size();
    float* out = mem.alloc<float>(n);
    cudaError_t err = mem.error;
    if (err == cudaSuccess) {
        const unsigned blocks = static_cast<unsigned>((n + 127) / 128 > 0 ? (n + 127) / 128 : 1);
        eval_kernel<<<blocks, 128>>>(bound, loom::shape<axes>(want.shape()), out);
        err = cudaGetLastError();
        if (err == cudaSuccess) err = cudaDeviceSynchronize();
    }
    std::vector<float> got(static_cast<std::size_t>(n > 0 ? n : 1));
    if (err == cudaSuccess)
        err = cudaMemcpy(got.data(), out, sizeof(float) * got.size(), cudaMemcpyDeviceToHost);
    if (err != cudaSuccess) {
        std::printf("FAIL %s: CUDA error %s\n", name, cudaGetErrorString(err));
        ++s.mismatches;
        return;
    }
    int bad = 0;
    for (index_t e = 0; e < n; ++e) {
        const float w = static_cast<float>(want.data()[e]), g = got[static_cast<std::size_t>(e)];
        if (std::fabs(g - w) <= 1e-4f * (1.0f + std::fabs(w))) continue;
        if (bad++ < 4)
            std::printf("FAIL %s: element %ld of %s is %g on device, %g on host\n", name,
                        static_cast<long>(e), want.shape().to_string().c_str(), g, w);
    }
    std::printf("%s %-28s %s\n", bad ? "FAIL" : "ok  ", name, want.shape().to_string().c_str());
    s.mismatches += bad != 0;
}

}  // namespace

int main() {
    session s;
    int count = 0;
    const cudaError_t err = cudaGetDeviceCount(&count);
    s.gpu = err == cudaSuccess && count > 0;
    if (!s.gpu)
        std::printf("no GPU: skipping device run (%s)\n",
                    err != cudaSuccess ? cudaGetErrorString(err) : "no CUDA device found");

    using ij = loom::axis_list<loom::axis<"i">, loom::axis<"j">>;
    loom::tensor<float, "i", "j"> a({i = 3, j = 5}, [](auto p) { return 0.25f * float(p[i] * 5 + p[j]) - 1.5f; });
    loom::tensor<float, "i", "j"> b({i = 3, j = 5}, [](auto p) { return 0.5f * float(p[j]) - 0.3f * float(p[i]); });
    loom::tensor<float, "i", "k"> lhs({i = 3, k = 4}, [](auto p) { return float(p[i] + 2 * p[k]) * 0.1f; });
    loom::tensor<float, "k", "j"> rhs({k = 4, j = 5}, [](auto p) { return float(p[k] - p[j]) * 0.2f; });
    loom::tensor<float, "y", "x"> img({y = 4, x = 6}, [](auto p) { return float(p[y] * 6 + p[x]); });
    loom::tensor<float, "ky", "kx"> kern = {{1, 2, 1}, {2, 4, 2}, {1, 2, 1}};
    loom::tensor<float, "vocab", "dim"> table({vocab = 6, dim = 3}, [](auto p) { return float(10 * p[vocab] + p[dim]); });
    loom::tensor<int, "pos"> ids = {4, 0, 5, 4, 2};
    loom::tensor<int, "pos"> wild_ids = {-2, 0, 7, 5, 12};  // out of range: for clamp and wrap

    // User functions must be __host__ __device__: the host evaluates the reference with them.
    auto leaky = [] __host__ __device__(float v, float t) { return v > t ? v : 0.1f * v; };
    auto ramp = [] __host__ __device__(const loom::point<ij>& p) {
        return float(p[i] * 10 + p[j]);
    };
    auto absmax = [] __host__ __device__(float acc, float v) {
        const float m = v < 0 ? -v : v;
        return m > acc ? m : acc;
    };

    // Leaves and scalars.
    run_case(s, "leaf", [](auto ea) { return ea; }, a);
    run_case(s, "scalar", [](auto) { return loom::scalar<float>{{}, 2.5f}; }, a);
    run_case(s, "scalar operands", [](auto ea) { return 2.0f * ea + 1.0f; }, a);

    // Element-wise maps: arithmetic, math functions, where, cast, user lambdas.
    run_case(s, "arithmetic", [](auto ea, auto eb) { return (ea + eb) * (ea - eb) / 2.0f + -ea; }, a, b);
    run_case(s, "exp, tanh", [](auto ea, auto eb) { return loom::exp(ea) * 0.5f + loom::tanh(eb); }, a, b);
    run_case(s, "log, sqrt, abs, pow", [](auto ea) {
        return loom::log(loom::abs(ea) + 1.0f) + loom::sqrt(loom::abs(ea)) + loom::pow(ea, 2.0f);
    }, a);
    run_case(s, "where, comparisons", [](auto ea, auto eb) { return loom::where(ea > eb, ea, eb * 2.0f); }, a, b);
    run_case(s, "cast", [](auto ea) { return loom::cast<float>(loom::cast<int>(ea * 4.0f)); }, a);
    run_case(s, "max, min, relu, sigmoid", [](auto ea, auto eb) {
        return loom::max(ea, eb) - loom::min(ea, eb) + loom::relu(ea) + loom::sigmoid(eb);
    }, a, b);
    run_case(s, "map(user lambda)", [=](auto ea, auto eb) { return loom::map(leaky, ea, eb); }, a, b);
    run_case(s, "broadcast by name", [](auto ea, auto er) { return ea + loom::sum(er, k); }, a, rhs);

    // Index-generated values.
    run_case(s, "generate", [=](auto) { return loom::generate(loom::extents(i = 3, j = 5), ramp); }, a);

    // Reductions.
    run_case(s, "sum", [](auto ea) { return loom::sum(ea, j); }, a);
    run_case(s, "sum over all", [](auto ea) { return loom::sum(ea); }, a);
    run_case(s, "prod", [](auto ea) { return loom::prod(ea, i); }, a);
    run_case(s, "max", [](auto ea) { return loom::max(ea, j); }, a);
    run_case(s, "min", [](auto ea) { return loom::min(ea, i); }, a);
    run_case(s, "mean", [](auto ea) { return loom::mean(ea, i, j); }, a);
    run_case(s, "logsumexp", [](auto ea) { return loom::logsumexp(ea, j); }, a);
    run_case(s, "argmax", [](auto ea) { return loom::argmax(ea, j); }, a);
    run_case(s, "argmin", [](auto ea) { return loom::argmin(ea, i); }, a);
    run_case(s, "reduce(user lambda)", [=](auto ea) { return loom::reduce(ea, j, 0.0f, absmax); }, a);
    run_case(s, "softmax", [](auto ea) { return loom::softmax(ea, j); }, a);

    // A contraction: sum of a product, never materialised.
    run_case(s, "contraction sum(a*b, k)", [](auto el, auto er) { return loom::sum(el * er, k); }, lhs, rhs);

    // Affine access, each boundary policy, and a 3x3 stencil.
    run_case(s, "at(y+1, x-1), default", [](auto e) { return loom::at(e, y = y + 1, x = x - 1); }, img);
    // A scaled index (2*x - 1) gives the result no extent of its own; shift instead.
    run_case(s, "at(x-1), zero", [](auto e) { return loom::at(e, loom::zero, x = x - 1); }, img);
    run_case(s, "at(y-1, x+2), clamp", [](auto e) { return loom::at(e, loom::clamp, y = y - 1, x = x + 2); }, img);
    run_case(s, "at(y+3, x-4), wrap", [](auto e) { return loom::at(e, loom::wrap, y = y + 3, x = x - 4); }, img);
    run_case(s, "3x3 stencil, zero", [](auto e, auto ek) {
        return loom::sum(loom::at(e, y = y + ky - 1, x = x + kx - 1) * ek, ky, kx);
    }, img, kern);
    run_case(s, "3x3 stencil, wrap", [](auto e, auto ek) {
        return loom::sum(loom::at(e, loom::wrap, y = y + ky - 1, x = x + kx - 1) * ek, ky, kx);
    }, img, kern);

    // Gathers.
    run_case(s, "gather at(vocab = ids)", [](auto et, auto eid) { return loom::at(et, vocab = eid); }, table, ids);
    run_case(s, "gather, clamp", [](auto et, auto eid) { return loom::at(et, loom::clamp, vocab = eid); }, table, wild_ids);
    run_case(s, "gather, wrap", [](auto et, auto eid) { return loom::at(et, loom::wrap, vocab = eid); }, table, wild_ids);

    // Renaming.
    run_case(s, "rename", [](auto ea) { return loom::rename(ea, j, k); }, a);
    run_case(s, "rename into a contraction", [](auto ea, auto eb) {
        return loom::sum(ea * loom::rename(eb, i, k), j);
    }, a, b);

    if (s.mismatches > 0) {
        std::printf("FAIL: %d expressions differ on device\n", s.mismatches);
        return 1;
    }
    return s.gpu ? 0 : 77;
}
