/// \file
/// \brief When two bound expression nodes compute the same values: the test that lets one
/// assignment share a hoisted reduction (or an operand's stored terms) between equal
/// subexpressions, such as the two `max(x, j)` of a softmax written out.
#pragma once

#include <loom/detail/tuple.hpp>
#include <loom/expr/node.hpp>

#include <cstring>
#include <memory>
#include <type_traits>

LOOM_BEGIN_NAMESPACE
namespace detail {

// One address per type: a type's identity without RTTI.
template <class T>
inline constexpr char type_address = 0;

// Whether two values are the same, by their bytes: exact for scalars (1.0000001f is not 1),
// and for the captures of element functions, which are trivially copyable. Values that merely
// compare equal may differ (-0.0 and 0.0, or padding): then a result is computed twice, never
// shared wrongly. Values that are not trivially copyable are never the same.
template <class V>
bool same_value(const V& a, const V& b) {
    if constexpr (std::is_empty_v<V>) return true;
    else if constexpr (std::is_trivially_copyable_v<V>) return std::memcmp(&a, &b, sizeof(V)) == 0;
    else return false;
}

template <class N>
bool same_node(const N& a, const N& b);

template <class Tuple, std::size_t... I>
bool same_children(const Tuple& a, const Tuple& b, std::index_sequence<I...>) {
    return (same_node(detail::get<I>(a), detail::get<I>(b)) && ...);
}

template <class Tuple, std::size_t... I>
bool same_entries(const Tuple& a, const Tuple& b, std::index_sequence<I...>) {
    auto same = [](const auto& x, const auto& y) {
        if constexpr (std::remove_cvref_t<decltype(x)>::is_gather) return same_node(x.index, y.index);
        else return same_value(x.index, y.index);
    };
    return (same(detail::get<I>(a), detail::get<I>(b)) && ...);
}

// Whether the bound nodes `a` and `b` compute the same value at every point: the same
// functions and constants, reading the same elements (the same data, extents and strides).
template <class N>
bool same_node(const N& a, const N& b) {
    if constexpr (N::kind == node_kind::leaf && requires(const N& x) { x.data; }) {
        return a.data == b.data && a.extents == b.extents && a.strides == b.strides;
    } else if constexpr (N::kind == node_kind::scalar) {
        return same_value(a.value, b.value);
    } else if constexpr (N::kind == node_kind::map) {
        using C = std::remove_cvref_t<decltype(a.children)>;
        return same_value(a.f, b.f) &&
               same_children(a.children, b.children, std::make_index_sequence<C::size>{});
    } else if constexpr (N::kind == node_kind::reduce) {
        return same_value(a.reducer, b.reducer) && a.extents == b.extents &&
               same_node(a.child, b.child);
    } else if constexpr (N::kind == node_kind::access) {
        using E = std::remove_cvref_t<decltype(a.entries)>;
        return a.child_extent == b.child_extent && same_node(a.child, b.child) &&
               same_entries(a.entries, b.entries, std::make_index_sequence<E::size>{});
    } else if constexpr (N::kind == node_kind::shared || N::kind == node_kind::rename) {
        return same_node(a.child, b.child);
    } else if constexpr (N::kind == node_kind::generate) {
        return same_value(a.f, b.f) && a.extents == b.extents;
    } else {
        return &a == &b;  // a node this test does not know: only itself
    }
}

// A copy of a bound node, equal to another when both have the same type and same_node holds.
class node_identity {
public:
    node_identity() = default;
    template <class N>
    explicit node_identity(const N& n)
        : type_(&type_address<N>), node_(std::make_shared<N>(n)), same_(&same_as<N>) {}

    // False for an empty identity, which matches nothing.
    friend bool operator==(const node_identity& a, const node_identity& b) {
        return a.type_ && a.type_ == b.type_ && a.same_(a.node_.get(), b.node_.get());
    }

private:
    template <class N>
    static bool same_as(const void* a, const void* b) {
        return same_node(*static_cast<const N*>(a), *static_cast<const N*>(b));
    }
    const char* type_ = nullptr;
    std::shared_ptr<const void> node_;
    bool (*same_)(const void*, const void*) = nullptr;
};

}  // namespace detail
LOOM_END_NAMESPACE
