/// \file
/// \brief Eigen's matrix product as loom's GEMM plug-in for float and double: include this
/// header (link loom::eigen), call `loom::eigen::register_gemm()` once, and `sum(a * b, k)`
/// over plain tensors or views runs Eigen's tuned kernel. Each operand needs dense rows or
/// columns; other strides, and `loom::simd_policy{.plugins = false}`, use the generated nest.
#pragma once

#include <loom/plan/gemm.hpp>

#include <Eigen/Core>

LOOM_BEGIN_NAMESPACE

/// Eigen's matrix product, as a GEMM kernel.
namespace eigen {

namespace detail {
template <class T, int Order>
using matrix_map = Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Order>, 0,
                              Eigen::OuterStride<>>;
template <class T, int Order>
using output_map =
    Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Order>, 0, Eigen::OuterStride<>>;

// Calls f with an Eigen map of a rows x cols matrix with the given strides, if one stride is 1.
template <class T, class F>
bool with_map(const T* p, index_t rows, index_t cols, index_t row_stride, index_t col_stride,
              F&& f) {
    if (col_stride == 1 && row_stride >= cols)
        return f(matrix_map<T, Eigen::RowMajor>(p, rows, cols, Eigen::OuterStride<>(row_stride))),
               true;
    if (row_stride == 1 && col_stride >= rows)
        return f(matrix_map<T, Eigen::ColMajor>(p, rows, cols, Eigen::OuterStride<>(col_stride))),
               true;
    return false;
}
}  // namespace detail

/// Computes `g` with Eigen's product when each matrix has a unit stride; declines otherwise.
template <class T>
bool gemm(const gemm_problem<T>& g) {
    bool done = false;
    auto with_c = [&](auto&& a, auto&& b) {
        if (g.c_col == 1 && g.c_row >= g.n) {
            detail::output_map<T, Eigen::RowMajor> c(g.c, g.m, g.n, Eigen::OuterStride<>(g.c_row));
            c.noalias() = a * b;
            done = true;
        } else if (g.c_row == 1 && g.c_col >= g.m) {
            detail::output_map<T, Eigen::ColMajor> c(g.c, g.m, g.n, Eigen::OuterStride<>(g.c_col));
            c.noalias() = a * b;
            done = true;
        }
    };
    detail::with_map(g.a, g.m, g.k, g.a_row, g.a_col, [&](const auto& a) {
        return detail::with_map(g.b, g.k, g.n, g.b_row, g.b_col,
                                [&](const auto& b) { with_c(a, b); });
    });
    return done;
}

/// Registers gemm<float> and gemm<double> as loom's GEMM plug-ins (process-wide).
inline void register_gemm() {
    gemm_plugin_for<float>() = {&gemm<float>, "Eigen matrix product"};
    gemm_plugin_for<double>() = {&gemm<double>, "Eigen matrix product"};
}

}  // namespace eigen

LOOM_END_NAMESPACE
