/// \file
/// \brief The GEMM pattern and its plug-in point: `sum(a * b, k)` over two 2-axis tensors or
/// views into a 2-axis destination is a matrix product after naming; a registered kernel
/// (Eigen's, OpenBLAS's, the user's own) may compute it instead of the generated loop nest.
#pragma once

#include <loom/expr/functors.hpp>
#include <loom/expr/map.hpp>
#include <loom/expr/reduce.hpp>
#include <loom/storage/list_edit.hpp>

LOOM_BEGIN_NAMESPACE

/// `C = A * B` with `C` m x n, `A` m x k, `B` k x n, each given by a pointer and element
/// strides along its rows and columns (any signs and orders; kernels may decline).
/// @tparam T the element type.
template <class T>
struct gemm_problem {
    index_t m = 0;  ///< Rows of A and C.
    index_t n = 0;  ///< Columns of B and C.
    index_t k = 0;  ///< Columns of A, rows of B.
    const T* a = nullptr;  ///< A(0, 0).
    index_t a_row = 0;     ///< Stride between rows of A.
    index_t a_col = 0;     ///< Stride between columns of A.
    const T* b = nullptr;  ///< B(0, 0).
    index_t b_row = 0;     ///< Stride between rows of B.
    index_t b_col = 0;     ///< Stride between columns of B.
    T* c = nullptr;        ///< C(0, 0).
    index_t c_row = 0;     ///< Stride between rows of C.
    index_t c_col = 0;     ///< Stride between columns of C.
};

/// A GEMM kernel: computes the problem and returns true, or returns false to decline it
/// (then the generated loop nest runs).
template <class T>
using gemm_kernel_fn = bool (*)(const gemm_problem<T>&);

/// A registered GEMM kernel with its name, for explain().
template <class T>
struct gemm_plugin {
    gemm_kernel_fn<T> run = nullptr;  ///< The kernel, or null for none.
    const char* name = "";            ///< Shown by explain().
};

/// The process-wide GEMM plug-in for element type `T`: assign to register a kernel
/// (`loom::gemm_plugin_for<float>() = {&my_sgemm, "my sgemm"};`), or reset it to `{}`.
/// Including <loom/interop/eigen_gemm.hpp> registers Eigen's product for float and double.
template <class T>
gemm_plugin<T>& gemm_plugin_for() {
    static gemm_plugin<T> plugin;
    return plugin;
}

namespace detail {

template <class N>
struct gemm_shape {
    static constexpr bool value = false;
};
template <class T, class LA, class LB, class Red>
struct gemm_shape<reduce_node<map_node<fn::multiplies, leaf<T, LA>, leaf<T, LB>>, Red,
                              reducer::sum<T>>> {
    static constexpr bool value = Red::size == 1 && LA::size == 2 && LB::size == 2 &&
                                  contains_v<axis_at_t<Red, 0>::name, LA> &&
                                  contains_v<axis_at_t<Red, 0>::name, LB> &&
                                  intersection_t<LA, LB>::size == 1;
    // Padded so that the names exist (and are unused) when the shape does not match.
    using none = axis_list<axis<"?">>;
    using k_axis = axis_at_t<concat_t<Red, none>, 0>;
    using m_axis = axis_at_t<concat_t<difference_t<LA, Red>, none>, 0>;
    using n_axis = axis_at_t<concat_t<difference_t<LB, Red>, none>, 0>;
};

// The problem for `dst = node` when `node` is GEMM-shaped; m = 0 otherwise.
template <class T, class Axes, class N>
gemm_problem<T> gemm_of(const basic_tensor_view<T, Axes>& dst, const N& node) {
    gemm_problem<T> g;
    if constexpr (gemm_shape<N>::value && Axes::size == 2 &&
                  std::is_same_v<typename N::value_type, T>) {
        using S = gemm_shape<N>;
        constexpr auto m = S::m_axis::name;
        constexpr auto n = S::n_axis::name;
        constexpr auto k = S::k_axis::name;
        const auto& a = get<0>(node.child.children);
        const auto& b = get<1>(node.child.children);
        using LA = typename std::remove_cvref_t<decltype(a)>::axes_type;
        using LB = typename std::remove_cvref_t<decltype(b)>::axes_type;
        g.m = dst.shape().template get<m>();
        g.n = dst.shape().template get<n>();
        g.k = node.extents.template get<k>();
        g.a = a.data;
        g.a_row = a.strides[index_of_v<m, LA>];
        g.a_col = a.strides[index_of_v<k, LA>];
        g.b = b.data;
        g.b_row = b.strides[index_of_v<k, LB>];
        g.b_col = b.strides[index_of_v<n, LB>];
        g.c = dst.data();
        g.c_row = dst.strides()[index_of_v<m, Axes>];
        g.c_col = dst.strides()[index_of_v<n, Axes>];
    }
    return g;
}

// Runs the registered GEMM plug-in on `dst = node` if the pattern matches and it accepts.
template <class T, class Axes, class N>
bool try_gemm_plugin(const basic_tensor_view<T, Axes>& dst, const N& node) {
    if constexpr (!gemm_shape<N>::value) {
        return false;
    } else {
        const gemm_plugin<T>& plugin = gemm_plugin_for<T>();
        if (!plugin.run) return false;
        const gemm_problem<T> g = gemm_of(dst, node);
        return g.m > 0 && g.n > 0 && plugin.run(g);
    }
}

}  // namespace detail
LOOM_END_NAMESPACE
