/// \file
/// \brief `operator<<` for tensors and views: axis names, extents, then the values nested
/// by axis, abbreviated with `...` along long axes.
#pragma once

#include <loom/storage/tensor.hpp>

#include <ostream>

LOOM_BEGIN_NAMESPACE

namespace detail {

inline constexpr index_t print_edge = 3;  // elements shown at each end of a long axis
inline constexpr index_t print_limit = 8; // longer axes are abbreviated

template <std::size_t K, class T, class Axes>
void print_values(std::ostream& os, const basic_tensor_view<T, Axes>& v, index_t offset,
                  int indent) {
    const index_t n = v.shape().extent[K], stride = v.strides()[K];
    os << '[';
    for (index_t i = 0; i < n; ++i) {
        if (n > print_limit && i == print_edge) {
            os << "...";
            i = n - print_edge - 1;
            if constexpr (K + 1 < Axes::size) os << ",\n" << std::string(indent + 1, ' ');
            else os << ", ";
            continue;
        }
        if constexpr (K + 1 < Axes::size) {
            print_values<K + 1>(os, v, offset + i * stride, indent + 1);
            if (i + 1 < n) os << ",\n" << std::string(indent + 1, ' ');
        } else {
            if constexpr (sizeof(T) == 1) os << +v.data()[offset + i * stride];
            else os << v.data()[offset + i * stride];
            if (i + 1 < n) os << ", ";
        }
    }
    os << ']';
}

}  // namespace detail

/// Prints `{batch: 2, in: 3}` and then the values, nested by axis in the view's order.
template <class T, class Axes>
std::ostream& operator<<(std::ostream& os, const basic_tensor_view<T, Axes>& v) {
    os << v.shape().to_string() << '\n';
    if constexpr (Axes::size == 0) {
        return os << *v.data();
    } else {
        detail::print_values<0>(os, v, 0, 0);
        return os;
    }
}

/// Prints a tensor as its view is printed.
template <class T, class Axes>
std::ostream& operator<<(std::ostream& os, const basic_tensor<T, Axes>& t) {
    return os << t.view();
}

LOOM_END_NAMESPACE
