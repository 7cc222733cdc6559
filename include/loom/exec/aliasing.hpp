/// \file
/// \brief Detects when a destination shares memory with an expression's operands.
#pragma once

#include <loom/detail/tuple.hpp>
#include <loom/expr/node.hpp>
#include <loom/storage/view.hpp>

#include <cstdint>
#include <functional>

LOOM_BEGIN_NAMESPACE
namespace detail {

struct byte_span {
    std::uintptr_t lo = 0, hi = 0;  // [lo, hi)
};

// The bytes a strided array of `rank` axes reaches from `data`.
inline byte_span span_of(const void* data, std::size_t element_size, std::size_t rank,
                         const index_t* extents, const index_t* strides) {
    index_t lo = 0, hi = 0;
    for (std::size_t k = 0; k != rank; ++k) {
        if (extents[k] == 0) return {};
        const index_t reach = (extents[k] - 1) * strides[k];
        (reach < 0 ? lo : hi) += reach;
    }
    const auto base = reinterpret_cast<std::uintptr_t>(data);
    const auto size = index_t(element_size);
    return {base + static_cast<std::uintptr_t>(lo * size),
            base + static_cast<std::uintptr_t>((hi + 1) * size)};
}
template <class T, class Axes>
byte_span span_of(const basic_tensor_view<T, Axes>& v) {
    return span_of(v.data(), sizeof(T), Axes::size, v.shape().extent, v.strides().data());
}

// True when `s` and `d` share a byte.
inline bool intersect(const byte_span& s, const byte_span& d) { return s.lo < d.hi && d.lo < s.hi; }

// True when reading `v` at each destination point reads exactly the element written there:
// same element type, same axes, same first element, the same stride for each axis (by name)
// that has more than one index.
template <class T, class Axes, class U, class VAxes>
bool same_elements(const basic_tensor_view<T, Axes>& dst, const basic_tensor_view<U, VAxes>& v) {
    if constexpr (!std::is_same_v<std::remove_const_t<T>, std::remove_const_t<U>> ||
                  VAxes::size != Axes::size || !subset_v<VAxes, Axes>) {
        return false;
    } else {
        if (static_cast<const void*>(v.data()) != static_cast<const void*>(dst.data())) return false;
        bool same = true;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((same = same && (dst.shape().extent[K] <= 1 ||
                              dst.strides()[K] == v.strides()[index_of_v<axis_at_t<Axes, K>::name, VAxes>])),
             ...);
        }(std::make_index_sequence<Axes::size>{});
        return same;
    }
}

// Whether any leaf of `node` overlapping `d` is read other than at the point being written.
// Leaves reached through element-wise nodes only are read at that point; under a reduction,
// an access, a rename or a shared node they may be read anywhere.
template <class T, class Axes, class Node>
bool conflicts(const basic_tensor_view<T, Axes>& dst, const byte_span& d, const Node& node,
               bool pointwise) {
    if constexpr (Node::kind == node_kind::map) {
        bool any = false;
        detail::apply([&](const auto&... c) { ((any = any || conflicts(dst, d, c, pointwise)), ...); },
                      node.children);
        return any;
    } else {
        const bool leaf = Node::kind == node_kind::leaf;
        bool any = false;
        node.for_each_leaf([&](const auto& v) {
            any = any || (intersect(span_of(v), d) && !(pointwise && leaf && same_elements(dst, v)));
        });
        return any;
    }
}

// True when evaluating `node` straight into `dst` could read an element after it was
// overwritten: then the result goes through a temporary. `x = x * 2 + 1` updates in place;
// `x = transpose(x)`, a shifted slice of x, or a reduction reading x does not.
template <class T, class Axes, class Node>
bool needs_temporary(const basic_tensor_view<T, Axes>& dst, const Node& node) {
    const byte_span d = span_of(dst);
    if (d.lo == d.hi) return false;
    return conflicts(dst, d, node, true);
}

// True when some leaf of `node` shares memory with `dst` (read in place or not).
template <class T, class Axes, class Node>
bool overlaps(const basic_tensor_view<T, Axes>& dst, const Node& node) {
    const byte_span d = span_of(dst);
    bool any = false;
    node.for_each_leaf([&](const auto& v) { any = any || intersect(span_of(v), d); });
    return any;
}

}  // namespace detail
LOOM_END_NAMESPACE
