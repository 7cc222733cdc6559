/// \file
/// \brief What every expression node provides, the leaves (tensors, views, scalars) and the
/// capture rule that turns an operand into a node.
#pragma once

#include <loom/expr/extent_info.hpp>
#include <loom/shape/index_array.hpp>
#include <loom/shape/point.hpp>
#include <loom/storage/tensor.hpp>

#include <initializer_list>
#include <sstream>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>

LOOM_BEGIN_NAMESPACE

/// The node types a planner walks over.
enum class node_kind {
    leaf,      ///< Reads a tensor or view.
    scalar,    ///< A constant.
    map,       ///< An element-wise function of its children, broadcast by name.
    generate,  ///< A function of the index.
    reduce,    ///< A reduction over some of its child's axes.
    access,    ///< Its child read at remapped indices (affine access, gather).
    rename,    ///< Its child with an axis renamed.
    shared,    ///< Its child, computed once into a temporary by planned executors.
};

/// Satisfied by loom's expression node types. Each node provides `value_type`, `axes_type`
/// (its free axes), `kind`, `extent<Name>()`, `eval(point)`, `validate()`, `bind()`,
/// `for_each_leaf(f)` and `describe()`.
template <class E>
concept expression = std::derived_from<std::remove_cvref_t<E>, expr_base>;

/// Satisfied by anything that can take part in an expression: nodes, tensors, views and
/// arithmetic scalars.
template <class E>
concept operand = expression<E> || tensor_like<E> || std::is_arithmetic_v<std::remove_cvref_t<E>>;

namespace detail {

// "name(a, b)": node descriptions are assembled here, not in every node type.
LOOM_COLD inline std::string call_text(std::string_view name,
                                       std::initializer_list<std::string_view> args) {
    std::string s(name);
    s += '(';
    bool first = true;
    for (std::string_view a : args) {
        if (!first) s += ", ";
        s += a;
        first = false;
    }
    return s + ')';
}

template <class T>
std::string type_name() {
    if constexpr (std::is_same_v<T, float>) return "float";
    else if constexpr (std::is_same_v<T, double>) return "double";
    else if constexpr (std::is_same_v<T, int>) return "int";
    else if constexpr (std::is_same_v<T, long>) return "long";
    else if constexpr (std::is_same_v<T, bool>) return "bool";
    else return typeid(T).name();
}

template <class Axes, class P, std::size_t... K>
LOOM_INLINE LOOM_HD constexpr index_t leaf_offset(const P& p, const index_t* strides,
                                      std::index_sequence<K...>) {
    return (index_t{0} + ... + (p.template get<axis_at_t<Axes, K>::name>() * strides[K]));
}

}  // namespace detail

/// Reads the elements of a view; trivially copyable, so it can be passed to a kernel.
/// (It keeps the view's parts rather than the view, whose assignment writes elements.)
/// @tparam T the element type. @tparam Axes the view's axes.
template <class T, class Axes>
struct leaf : expr_base {
    using value_type = T;                                   ///< Element type.
    using axes_type = Axes;                                 ///< The view's axes.
    static constexpr node_kind kind = node_kind::leaf;      ///< For planners.
    const T* data;                                          ///< Element at index 0.
    shape<Axes> extents;                                    ///< Extents by name.
    index_array<Axes::size> strides;                        ///< Element strides, in Axes order.

    /// A leaf reading the elements of `v`.
    leaf(const basic_tensor_view<const T, Axes>& v)  // NOLINT: implicit, a view is a leaf
        : data(v.data()), extents(v.shape()), strides(v.strides()) {}
    /// The view this leaf reads.
    basic_tensor_view<const T, Axes> view() const { return {data, extents, strides}; }

    /// The view's extent of axis `Name`, exact.
    template <fixed_string Name>
    extent_info extent() const {
        return extent_info::exact(extents.template get<Name>());
    }
    /// The element at point `p` (which names every axis of the view, and maybe more).
    template <class P>
    LOOM_INLINE LOOM_HD value_type eval(const P& p) const {
        return data[detail::leaf_offset<Axes>(p, strides.data(),
                                              std::make_index_sequence<Axes::size>{})];
    }
    /// Nothing to check.
    void validate() const {}
    /// Itself.
    leaf bind() const { return *this; }
    /// Calls `f(view)` once.
    template <class F>
    void for_each_leaf(F&& f) const {
        f(view());
    }
    /// `float{batch: 32, in: 256}`.
    LOOM_COLD std::string describe() const { return detail::type_name<T>() + extents.to_string(); }
};

/// Owns a tensor that was a temporary in the user's expression, so the expression never
/// dangles; bind() turns it into a leaf over the owned elements.
template <class T, class Axes>
struct owned_leaf : expr_base {
    using value_type = T;                               ///< Element type.
    using axes_type = Axes;                             ///< The tensor's axes.
    static constexpr node_kind kind = node_kind::leaf;  ///< For planners.
    basic_tensor<T, Axes> tensor;                       ///< The owned elements.

    /// The tensor's extent of axis `Name`, exact.
    template <fixed_string Name>
    extent_info extent() const {
        return extent_info::exact(tensor.shape().template get<Name>());
    }
    /// The element at point `p`.
    template <class P>
    value_type eval(const P& p) const {
        return bind().eval(p);
    }
    /// Nothing to check.
    void validate() const {}
    /// A leaf reading the owned elements; valid while this node lives.
    leaf<T, Axes> bind() const { return leaf<T, Axes>(tensor.view()); }
    /// Calls `f(view)` once.
    template <class F>
    void for_each_leaf(F&& f) const {
        f(tensor.view());
    }
    /// `float{batch: 32} (owned)`.
    LOOM_COLD std::string describe() const { return bind().describe() + " (owned)"; }
};

/// A constant; it has no axes.
/// @tparam T its type.
template <class T>
struct scalar : expr_base {
    using value_type = T;                                 ///< Its type.
    using axes_type = axis_list<>;                        ///< No axes.
    static constexpr node_kind kind = node_kind::scalar;  ///< For planners.
    T value;                                              ///< The constant.

    /// Never called: a scalar has no axes.
    template <fixed_string Name>
    extent_info extent() const {
        return {};
    }
    /// The constant.
    template <class P>
    LOOM_HD value_type eval(const P&) const {
        return value;
    }
    /// Nothing to check.
    void validate() const {}
    /// Itself.
    scalar bind() const { return *this; }
    /// No leaves.
    template <class F>
    void for_each_leaf(F&&) const {}
    /// The value.
    LOOM_COLD std::string describe() const {
        std::ostringstream os;
        os << +value;
        return os.str();
    }
};

/// The capture rule, applied to every operand of every expression: a node is kept by value
/// (moved when it is an rvalue), a named tensor or any view is referenced (a view), a
/// temporary tensor is moved into the expression, and an arithmetic value becomes a scalar.
template <operand E>
auto as_expr(E&& e) {
    using D = std::remove_cvref_t<E>;
    if constexpr (expression<D>) {
        return D(std::forward<E>(e));
    } else if constexpr (detail::is_view_v<D>) {
        return leaf<typename D::value_type, typename D::axes_type>(e);
    } else if constexpr (detail::is_tensor_v<D>) {
        if constexpr (std::is_lvalue_reference_v<E>)
            return leaf<typename D::value_type, typename D::axes_type>(e.view());
        else
            return owned_leaf<typename D::value_type, typename D::axes_type>{{}, std::move(e)};
    } else {
        return scalar<D>{{}, e};
    }
}

/// The node type that `as_expr` makes of an operand of type `E`.
template <class E>
using expr_t = decltype(as_expr(std::declval<E>()));

namespace detail {
// The executor's view of its argument: nodes by reference, tensors and views as leaves.
template <class E>
decltype(auto) node_ref(const E& e) {
    if constexpr (expression<E>) return (e);
    else return as_expr(e);
}
}  // namespace detail

LOOM_END_NAMESPACE
