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

// Prints element `offset` of `data` (a T).
template <class T>
void print_element(std::ostream& os, const void* data, index_t offset) {
    const T& value = static_cast<const T*>(data)[offset];
    if constexpr (sizeof(T) == 1) os << +value;
    else os << value;
}

// Prints axis k and those after it of a strided array from element `offset`, nested in
// brackets. Not a template: compiled once, whatever the element type and axes.
LOOM_COLD inline void print_values(std::ostream& os, std::size_t rank, const index_t* extents,
                                   const index_t* strides, const void* data,
                                   void (*element)(std::ostream&, const void*, index_t),
                                   std::size_t k, index_t offset, int indent) {
    const index_t n = extents[k], stride = strides[k];
    const bool last = k + 1 == rank;
    os << '[';
    for (index_t i = 0; i < n; ++i) {
        const char* separator = i + 1 < n ? (last ? ", " : ",\n") : "";
        if (n > print_limit && i == print_edge) {
            os << "...";
            i = n - print_edge - 1;
            separator = last ? ", " : ",\n";
        } else if (last) {
            element(os, data, offset + i * stride);
        } else {
            print_values(os, rank, extents, strides, data, element, k + 1, offset + i * stride,
                         indent + 1);
        }
        os << separator;
        if (!last && *separator) os << std::string(indent + 1, ' ');
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
        detail::print_values(os, Axes::size, v.shape().extent, v.strides().data(), v.data(),
                             &detail::print_element<std::remove_const_t<T>>, 0, 0, 0);
        return os;
    }
}

/// Prints a tensor as its view is printed.
template <class T, class Axes>
std::ostream& operator<<(std::ostream& os, const basic_tensor<T, Axes>& t) {
    return os << t.view();
}

LOOM_END_NAMESPACE
