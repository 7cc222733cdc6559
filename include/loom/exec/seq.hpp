/// \file
/// \brief The `seq` executor: a plain scalar loop over the destination's elements in memory
/// order, evaluating the expression at each point. Simple on purpose: it is the reference.
#pragma once

#include <loom/exec/aliasing.hpp>
#include <loom/exec/policy.hpp>
#include <loom/expr/hooks.hpp>

LOOM_BEGIN_NAMESPACE

/// Runs expressions one element at a time; the reference every other executor must match.
template <>
struct executor<seq_policy> {
    /// Evaluates `e` into `dst`. Axes must match by name (checked at compile time), extents
    /// must agree (shape_error otherwise), and index tensors are checked, all before the first
    /// write. When `dst` overlaps an operand, the result goes through a temporary.
    template <class T, class Axes, class E>
    static void assign(const seq_policy&, const basic_tensor_view<T, Axes>& dst, const E& e) {
        decltype(auto) node = detail::node_ref(e);
        using N = std::remove_cvref_t<decltype(node)>;
        if constexpr (!detail::check_assign_axes<Axes, typename N::axes_type>() ||
                      !detail::check_conversion<typename N::value_type, T>()) {
            return;
        } else {
            check_extents(dst, node, std::make_index_sequence<Axes::size>{});
            node.validate();
            if (detail::overlaps(dst, node)) {
                basic_tensor<T, Axes> tmp(dst.shape());
                run(tmp.view(), node);
                run(dst, leaf<T, Axes>(tmp.view()));
            } else {
                run(dst, node);
            }
        }
    }

private:
    template <class T, class Axes, class N, std::size_t... K>
    static void check_extents(const basic_tensor_view<T, Axes>& dst, const N& node,
                              std::index_sequence<K...>) {
        auto one = [&](auto a) {
            using A = decltype(a);
            const extent_info e = node.template extent<A::name>();
            const index_t d = dst.shape().template get<A::name>();
            if (e.kind == extent_kind::exact && e.value != d)
                throw shape_error("loom: the destination's axis '" + std::string(A::name.view()) +
                                  "' has extent " + std::to_string(d) +
                                  " but the expression's has extent " + std::to_string(e.value));
        };
        (void)one;
        (one(axis_at_t<Axes, K>{}), ...);
    }
    template <class T, class Axes, class N>
    static void run(const basic_tensor_view<T, Axes>& dst, const N& node) {
        const auto bound = node.bind();
        T* out = dst.data();
        const index_t* strides = dst.strides().data();
        detail::for_each_index(dst.shape(), [&](const point<Axes>& p) {
            out[detail::offset_of(p, strides)] = static_cast<T>(bound.eval(p));
        });
    }
};

/// Evaluates `e` with policy `policy` into a new tensor whose axes are the expression's.
template <executor_policy P, operand E>
auto eval(const P& policy, const E& e) {
    decltype(auto) node = detail::node_ref(e);
    using N = std::remove_cvref_t<decltype(node)>;
    using out_t = basic_tensor<typename N::value_type, typename N::axes_type>;
    out_t out(detail::expr_hooks<E>::template shape_for<typename N::axes_type>(node));
    out.view().assign(policy, node);
    return out;
}

/// Evaluates `e` with the default policy into a new tensor whose axes are the expression's.
template <operand E>
auto eval(const E& e) {
    return eval(typename detail::default_policy<E>::type{}, e);
}

LOOM_END_NAMESPACE
