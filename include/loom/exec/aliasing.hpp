/// \file
/// \brief Detects when a destination shares memory with an expression's operands.
#pragma once

#include <loom/detail/tuple.hpp>
#include <loom/expr/node.hpp>
#include <loom/storage/view.hpp>

#include <array>
#include <cstdint>
#include <functional>

LOOM_BEGIN_NAMESPACE
namespace detail {

struct byte_span {
    std::uintptr_t lo = 0, hi = 0;  // [lo, hi)
};

// A strided array as plain values: the destination, or an operand the expression reads.
struct strided_array {
    const void* data = nullptr;
    std::size_t element_size = 0;
    std::size_t rank = 0;
    const index_t* extents = nullptr;
    const index_t* strides = nullptr;
};
template <class T, class Axes>
strided_array array_of(const basic_tensor_view<T, Axes>& v) {
    return {v.data(), sizeof(T), Axes::size, v.shape().extent, v.strides().data()};
}

// The bytes a strided array reaches.
inline byte_span span_of(const strided_array& a) {
    index_t lo = 0, hi = 0;
    for (std::size_t k = 0; k != a.rank; ++k) {
        if (a.extents[k] == 0) return {};
        const index_t reach = (a.extents[k] - 1) * a.strides[k];
        (reach < 0 ? lo : hi) += reach;
    }
    const auto base = reinterpret_cast<std::uintptr_t>(a.data);
    const auto size = index_t(a.element_size);
    return {base + static_cast<std::uintptr_t>(lo * size),
            base + static_cast<std::uintptr_t>((hi + 1) * size)};
}

// True when `s` and `d` share a byte.
inline bool intersect(const byte_span& s, const byte_span& d) { return s.lo < d.hi && d.lo < s.hi; }

// Whether an operand `v` read while `dst` (its bytes `d`) is written could be read after an
// element was overwritten. `in_place`: v is read at the point being written, and has dst's
// element type and axes, the position in v of dst's axis k being `position[k]`; it is then
// safe when it reaches exactly dst's elements in the same order (same first element, the
// same stride along every axis with more than one index). Compiled once, not per operand.
inline bool read_conflicts(const strided_array& dst, const byte_span& d, const strided_array& v,
                           bool in_place, const std::size_t* position) {
    if (!intersect(span_of(v), d)) return false;
    if (!in_place || v.data != dst.data) return true;
    for (std::size_t k = 0; k < dst.rank; ++k)
        if (dst.extents[k] > 1 && dst.strides[k] != v.strides[position[k]]) return true;
    return false;
}

// Per axis of `Axes`, the position of the axis of the same name in `VAxes`.
template <class Axes, class VAxes, std::size_t... K>
constexpr std::array<std::size_t, sizeof...(K)> positions_of(std::index_sequence<K...>) {
    return {index_of_v<axis_at_t<Axes, K>::name, VAxes>...};
}
template <class Axes, class VAxes>
inline constexpr auto positions_in = positions_of<Axes, VAxes>(std::make_index_sequence<Axes::size>{});

// Looks through the leaves of an expression for one that overlaps the destination `dst`
// (its bytes `d`) and is read other than at the point being written. A named type, so that
// its visits of a leaf type are compiled once for all the expressions that read it.
template <class T, class Axes>
struct conflict_finder {
    strided_array dst;
    byte_span d;
    bool found = false;

    // A leaf read at any point (under a reduction, an access, a rename or a shared node).
    template <class U, class VAxes>
    void operator()(const basic_tensor_view<U, VAxes>& v) {
        found = found || read_conflicts(dst, d, array_of(v), false, nullptr);
    }
    // A leaf reached through element-wise nodes only: read at the point being written.
    template <class U, class VAxes>
    void in_place(const basic_tensor_view<U, VAxes>& v) {
        constexpr bool comparable = std::is_same_v<std::remove_const_t<T>, std::remove_const_t<U>> &&
                                    VAxes::size == Axes::size && subset_v<VAxes, Axes>;
        if constexpr (comparable)
            found = found || read_conflicts(dst, d, array_of(v), true, positions_in<Axes, VAxes>.data());
        else
            (*this)(v);
    }
    // Calls in_place for each leaf it is given.
    struct in_place_visit {
        conflict_finder& f;
        template <class V>
        void operator()(const V& v) const {
            f.in_place(v);
        }
    };
};

// Feeds `node`'s leaves to `f`, those reached through element-wise nodes only as in place.
template <class F, class Node>
void find_conflicts(F& f, const Node& node) {
    if constexpr (Node::kind == node_kind::map)
        detail::apply([&](const auto&... c) { (find_conflicts(f, c), ...); }, node.children);
    else if constexpr (Node::kind == node_kind::leaf)
        node.for_each_leaf(typename F::in_place_visit{f});
    else
        node.for_each_leaf(f);
}

// True when evaluating `node` straight into `dst` could read an element after it was
// overwritten: then the result goes through a temporary. `x = x * 2 + 1` updates in place;
// `x = transpose(x)`, a shifted slice of x, or a reduction reading x does not.
template <class T, class Axes, class Node>
bool needs_temporary(const basic_tensor_view<T, Axes>& dst, const Node& node) {
    conflict_finder<T, Axes> f{array_of(dst), {}};
    f.d = span_of(f.dst);
    if (f.d.lo == f.d.hi) return false;
    find_conflicts(f, node);
    return f.found;
}

// True when some leaf of `node` shares memory with `dst` (read in place or not).
template <class T, class Axes, class Node>
bool overlaps(const basic_tensor_view<T, Axes>& dst, const Node& node) {
    const byte_span d = span_of(array_of(dst));
    bool any = false;
    node.for_each_leaf([&](const auto& v) { any = any || intersect(span_of(array_of(v)), d); });
    return any;
}

}  // namespace detail
LOOM_END_NAMESPACE
