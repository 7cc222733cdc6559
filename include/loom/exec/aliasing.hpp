/// \file
/// \brief Detects when a destination shares memory with an expression's operands.
#pragma once

#include <loom/storage/view.hpp>

#include <cstdint>
#include <functional>

LOOM_BEGIN_NAMESPACE
namespace detail {

struct byte_span {
    std::uintptr_t lo = 0, hi = 0;  // [lo, hi)
};

template <class T, class Axes>
byte_span span_of(const basic_tensor_view<T, Axes>& v) {
    if (v.size() == 0) return {};
    index_t lo = 0, hi = 0;
    for (std::size_t k = 0; k != Axes::size; ++k) {
        const index_t reach = (v.shape().extent[k] - 1) * v.strides()[k];
        (reach < 0 ? lo : hi) += reach;
    }
    const auto base = reinterpret_cast<std::uintptr_t>(v.data());
    return {base + static_cast<std::uintptr_t>(lo * index_t(sizeof(T))),
            base + static_cast<std::uintptr_t>((hi + 1) * index_t(sizeof(T)))};
}

// True when any leaf of `node` may read memory that `dst` writes.
template <class T, class Axes, class Node>
bool overlaps(const basic_tensor_view<T, Axes>& dst, const Node& node) {
    const byte_span d = span_of(dst);
    bool any = false;
    node.for_each_leaf([&](const auto& leaf_view) {
        const byte_span s = span_of(leaf_view);
        any = any || (s.lo < d.hi && d.lo < s.hi);
    });
    return any;
}

}  // namespace detail
LOOM_END_NAMESPACE
