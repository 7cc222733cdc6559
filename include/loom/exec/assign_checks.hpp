/// \file
/// \brief What every executor does before its first write: match axes by name, convert
/// element types only without narrowing, agree on extents, validate index tensors, and
/// route the result through a temporary when the destination overlaps an operand.
#pragma once

#include <loom/exec/aliasing.hpp>
#include <loom/expr/hooks.hpp>
#include <loom/shape/for_each_index.hpp>

#include <algorithm>

LOOM_BEGIN_NAMESPACE
namespace detail {

template <class T, class Axes, class N, std::size_t... K>
void check_extents(const basic_tensor_view<T, Axes>& dst, const N& node,
                   std::index_sequence<K...>) {
    auto one = [&](auto a) {
        using A = decltype(a);
        const extent_info e = node.template extent<A::name>();
        const index_t d = dst.shape().template get<A::name>();
        if (e.kind == extent_kind::exact && e.value != d)
            throw_destination_extent(A::name.view(), d, e.value);
    };
    (void)one;
    (one(axis_at_t<Axes, K>{}), ...);
}

// Copies `src` (dense, in dst's axis order) into `dst`: a plain loop, so an assignment's
// overlap path does not instantiate a second executor for the copy.
template <class T, class Axes>
void copy_back(const basic_tensor_view<T, Axes>& dst, const basic_tensor_view<T, Axes>& src) {
    T* out = dst.data();
    const T* in = src.data();
    if (dst.is_contiguous()) {
        std::copy_n(in, src.shape().size(), out);
        return;
    }
    const index_t* st = dst.strides().data();
    index_t n = 0;
    for_each_index(dst.shape(), [&](const point<Axes>& p) { out[offset_of(p, st)] = in[n++]; });
}

// Checks `e` against `dst`, then calls run(view, node) with the node and either `dst` or a
// temporary that is copied into `dst` afterwards (when an operand reads dst's memory at
// other points than the one being written).
template <class T, class Axes, class E, class Run>
void checked_assign(const basic_tensor_view<T, Axes>& dst, const E& e, Run&& run) {
    decltype(auto) node = node_ref(e);
    using N = std::remove_cvref_t<decltype(node)>;
    if constexpr (!check_assign_axes<Axes, typename N::axes_type>() ||
                  !check_conversion<typename N::value_type, T>()) {
        return;
    } else {
        check_extents(dst, node, std::make_index_sequence<Axes::size>{});
        node.validate();
        if (needs_temporary(dst, node)) {
            basic_tensor<T, Axes> tmp(dst.shape());
            run(tmp.view(), node);
            copy_back(dst, tmp.view());
        } else {
            run(dst, node);
        }
    }
}

}  // namespace detail
LOOM_END_NAMESPACE
