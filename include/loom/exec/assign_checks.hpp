/// \file
/// \brief What every executor does before its first write: match axes by name, convert
/// element types only without narrowing, agree on extents, validate index tensors, and
/// route the result through a temporary when the destination overlaps an operand.
#pragma once

#include <loom/exec/aliasing.hpp>
#include <loom/expr/hooks.hpp>
#include <loom/shape/for_each_index.hpp>

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

LOOM_BEGIN_NAMESPACE
namespace detail {

// Each exact extent of the expression must equal the destination's, naming the axis if not.
inline void check_destination_extents(const std::string_view* names, const index_t* dst,
                                      const extent_info* expr, std::size_t rank) {
    for (std::size_t k = 0; k < rank; ++k)
        if (expr[k].kind == extent_kind::exact && expr[k].value != dst[k])
            throw_destination_extent(names[k], dst[k], expr[k].value);
}
template <class T, class Axes, class N, std::size_t... K>
void check_extents(const basic_tensor_view<T, Axes>& dst, const N& node,
                   std::index_sequence<K...>) {
    const extent_info expr[] = {node.template extent<axis_at_t<Axes, K>::name>()..., {}};
    check_destination_extents(names_of<Axes>, dst.shape().extent, expr, Axes::size);
}

// Copies the dense array `in` (its axes in the order of `extents`) into `out`, which has
// `strides`; elements of `size` bytes, trivially copyable. Compiled once, not per type.
inline void copy_dense(char* out, const index_t* strides, const char* in, std::size_t rank,
                       const index_t* extents, std::size_t size) {
    index_t total = 1, step = 1;
    bool dense = true;
    for (std::size_t k = rank; k-- > 0;) {
        total *= extents[k];
        dense = dense && (extents[k] <= 1 || strides[k] == step);
        step *= extents[k];
    }
    if (total == 0) return;
    if (dense) {
        std::memcpy(out, in, std::size_t(total) * size);
        return;
    }
    std::vector<index_t> index(rank, 0);
    for (index_t n = 0; n < total; ++n) {
        index_t off = 0;
        for (std::size_t k = 0; k < rank; ++k) off += index[k] * strides[k];
        std::memcpy(out + off * index_t(size), in + n * index_t(size), size);
        for (std::size_t k = rank; k-- > 0;) {
            if (++index[k] < extents[k]) break;
            index[k] = 0;
        }
    }
}

// Copies `src` (dense, in dst's axis order) into `dst`: a plain loop, so an assignment's
// overlap path does not instantiate a second executor for the copy.
template <class T, class Axes>
void copy_back(const basic_tensor_view<T, Axes>& dst, const basic_tensor_view<T, Axes>& src) {
    if constexpr (std::is_trivially_copyable_v<T>) {
        copy_dense(reinterpret_cast<char*>(dst.data()), dst.strides().data(),
                   reinterpret_cast<const char*>(src.data()), Axes::size, dst.shape().extent,
                   sizeof(T));
    } else {
        T* out = dst.data();
        const T* in = src.data();
        const index_t* st = dst.strides().data();
        index_t n = 0;
        for_each_index(dst.shape(),
                       [&](const point<Axes>& p) { out[offset_of(p, st)] = in[n++]; });
    }
}

// Checks `e` against `dst`, then calls run(view, node) with the node and either `dst` or a
// temporary that is copied into `dst` afterwards (when an operand reads dst's memory at
// other points than the one being written). With a `fresh_destination`, only the checks
// that do not depend on dst's extents or memory are made.
template <class T, class Axes, class E, class Run, class... Fresh>
void checked_assign(const basic_tensor_view<T, Axes>& dst, const E& e, Run&& run, Fresh...) {
    decltype(auto) node = node_ref(e);
    using N = std::remove_cvref_t<decltype(node)>;
    if constexpr (!check_assign_axes<Axes, typename N::axes_type>() ||
                  !check_conversion<typename N::value_type, T>()) {
        return;
    } else if constexpr (sizeof...(Fresh) != 0) {
        node.validate();
        run(dst, node);
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
