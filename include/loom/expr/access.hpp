/// \file
/// \brief Affine access and gathers: `x.at(y = y + ky)` reads `x` at shifted indices (the
/// way stencils and convolutions are written) and `table.at(v = ids)` reads it at the indices
/// held in another tensor. A boundary policy says what happens outside the extent.
#pragma once

#include <loom/axes/affine.hpp>
#include <loom/expr/operators.hpp>
#include <loom/expr/reduce.hpp>

LOOM_BEGIN_NAMESPACE

namespace detail {
// Appends ", name = index" to an access's description.
inline void append_entry(std::string& s, std::string_view name, const std::string& index) {
    s += ", ";
    s += name;
    s += " = ";
    s += index;
}
}  // namespace detail

/// Boundary policy: outside the extent the value is zero (the default for affine indices).
struct zero_boundary {
    static constexpr const char* name = "zero";  ///< Name in descriptions.
};
/// Boundary policy: indices are clamped to the nearest edge.
struct clamp_boundary {
    static constexpr const char* name = "clamp";  ///< Name in descriptions.
};
/// Boundary policy: indices wrap around (periodic).
struct wrap_boundary {
    static constexpr const char* name = "wrap";  ///< Name in descriptions.
};
/// Boundary policy: an index tensor holding an out-of-range index throws index_error before
/// anything is written (the default for gathers).
struct checked_boundary {
    static constexpr const char* name = "checked";  ///< Name in descriptions.
};
/// Zero outside the extent: `x.at(loom::zero, y = y + 1)`.
inline constexpr zero_boundary zero{};
/// Clamp to the edge: `x.at(loom::clamp, y = y + 1)`.
inline constexpr clamp_boundary clamp{};
/// Wrap around: `x.at(loom::wrap, y = y + 1)`.
inline constexpr wrap_boundary wrap{};
/// Throw on an out-of-range index tensor: `x.at(loom::checked, v = ids)`.
inline constexpr checked_boundary checked{};

/// Satisfied by the boundary policy types.
template <class B>
concept boundary_policy =
    std::is_same_v<B, zero_boundary> || std::is_same_v<B, clamp_boundary> ||
    std::is_same_v<B, wrap_boundary> || std::is_same_v<B, checked_boundary>;

namespace detail {
template <class I>
struct entry_axes {
    using type = typename I::axes_type;
};
template <class Axes>
struct entry_axes<affine_index<Axes>> {
    using type = Axes;
};
}  // namespace detail

/// One remapped axis of an access: the child's axis `Name` is read at `index(p)`, an affine
/// index or an integer expression (a gather).
/// @tparam Name the child's axis. @tparam I an affine_index or an expression node.
template <class NameAxis, class I>
struct basic_access_entry {
    static constexpr auto name = NameAxis::name;  ///< The child's axis this entry indexes.
    static constexpr bool is_gather = !is_affine_v<I>;  ///< Whether `index` is an expression.
    using axes_type = typename detail::entry_axes<I>::type;  ///< Axes the index reads.
    I index;  ///< How the child's index is computed.

    /// The child's index along `Name` at point `p`.
    template <class P>
    LOOM_HD index_t at(const P& p) const {
        if constexpr (is_gather) return static_cast<index_t>(index.eval(p));
        else return index(p);
    }
};
/// The entry for the child's axis `Name` (the name rides in an axis type, for nvcc's stubs).
template <fixed_string Name, class I>
using access_entry = basic_access_entry<axis<Name>, I>;

namespace detail {

template <class... E>
struct union_entry_axes {
    using type = axis_list<>;
};
template <class E0, class... E>
struct union_entry_axes<E0, E...> {
    using type = union_t<typename entry_axes<decltype(E0::index)>::type,
                         typename union_entry_axes<E...>::type>;
};

template <class Boundary>
LOOM_HD constexpr bool apply_boundary(index_t& i, index_t n) {
    if (i >= 0 && i < n) return true;
    if constexpr (std::is_same_v<Boundary, clamp_boundary>) {
        i = i < 0 ? 0 : n - 1;
        return n > 0;
    } else if constexpr (std::is_same_v<Boundary, wrap_boundary>) {
        if (n == 0) return false;
        i %= n;
        if (i < 0) i += n;
        return true;
    } else {
        return false;  // zero, and the never-reached checked case: read nothing
    }
}
}  // namespace detail

/// Reads `Child` at indices computed from its own point: each entry remaps one of the child's
/// axes; the free axes are the child's unmapped axes plus the axes the entries read.
/// @tparam Child the operand. @tparam Boundary a boundary policy, or void for the defaults.
/// @tparam Entries access_entry types.
template <class Child, class Boundary, class... Entries>
struct access_node : expr_base {
    using child_axes = typename Child::axes_type;                      ///< The child's axes.
    using mapped_axes = axis_list<axis<Entries::name>...>;             ///< Remapped axes.
    using value_type = typename Child::value_type;                     ///< The child's type.
    using axes_type = union_t<difference_t<child_axes, mapped_axes>,
                              typename detail::union_entry_axes<Entries...>::type>;
    ///< Free axes.
    static constexpr node_kind kind = node_kind::access;  ///< For planners.
    static_assert(unique_axes_v<mapped_axes>);

    Child child;                               ///< The operand.
    detail::tuple<Entries...> entries;         ///< One per remapped axis.
    index_array<child_axes::size> child_extent;  ///< The child's extents, for the boundary.

    /// Builds the node; the child's extents of remapped axes must be known exactly.
    access_node(Child c, Entries... e) : child(std::move(c)), entries{{{std::move(e)}...}} {
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((child_extent[K] = known_extent<axis_at_t<child_axes, K>::name>()), ...);
        }(std::make_index_sequence<child_axes::size>{});
    }

    /// What the child and the index expressions know of axis `Name`.
    template <fixed_string Name>
    extent_info extent() const {
        extent_info e;
        if constexpr (contains_v<Name, difference_t<child_axes, mapped_axes>>)
            e = child.template extent<Name>();
        each_entry([&](const auto& en) {
            using EN = std::remove_cvref_t<decltype(en)>;
            if constexpr (EN::is_gather) {
                if constexpr (contains_v<Name, typename EN::axes_type>)
                    e = detail::merge_extent(Name.view(), e, en.index.template extent<Name>());
            } else if constexpr (EN::name == Name && contains_v<Name, typename EN::axes_type>) {
                // `y = y + ky - 1` suggests y keeps the operand's extent; `y = 2*y + ky` does not.
                if (en.index.coeff[index_of_v<Name, typename EN::axes_type>] == 1)
                    e = detail::merge_extent(
                        Name.view(), e,
                        extent_info::hint(child_extent[index_of_v<Name, child_axes>]));
            }
        });
        return e;
    }
    /// The child's value at the remapped point, or zero outside under the zero policy.
    template <class P>
    LOOM_HD value_type eval(const P& p) const {
        point<child_axes> q;
        return child_point(p, q) ? child.eval(q) : value_type{};
    }
    /// Sets `q` to the child's point for `p`; false when it lies outside (zero policy).
    template <class P>
    LOOM_HD bool child_point(const P& p, point<child_axes>& q) const {
        bool inside = true;
        fill(q, p, inside, std::make_index_sequence<child_axes::size>{});
        return inside;
    }
    /// Checks the child and the index expressions; a checked gather scans its indices.
    void validate() const {
        child.validate();
        each_entry([&](const auto& en) {
            using EN = std::remove_cvref_t<decltype(en)>;
            if constexpr (EN::is_gather) {
                en.index.validate();
                if constexpr (std::is_same_v<Boundary, void> ||
                              std::is_same_v<Boundary, checked_boundary>)
                    check_gather(en);
            }
        });
    }
    /// The same access over bound operands.
    auto bind() const {
        return detail::apply(
            [&](const auto&... en) {
                return access_node<decltype(child.bind()), Boundary,
                                   decltype(bind_entry(en))...>(child.bind(), bind_entry(en)...);
            },
            entries);
    }
    /// Visits the child's and the index expressions' leaves.
    template <class G>
    void for_each_leaf(G&& g) const {
        child.for_each_leaf(g);
        each_entry([&](const auto& en) {
            if constexpr (std::remove_cvref_t<decltype(en)>::is_gather) en.index.for_each_leaf(g);
        });
    }
    /// `at(child, y = affine, v = gather(...))`.
    LOOM_COLD std::string describe() const {
        std::string s = child.describe();
        each_entry([&](const auto& en) {
            detail::append_entry(s, std::remove_cvref_t<decltype(en)>::name.view(),
                                 en.index.describe());
        });
        if constexpr (std::is_same_v<Boundary, void>) return detail::call_text("at", {s});
        else return detail::call_text("at", {s, Boundary::name});
    }

private:
    template <class G>
    void each_entry(G&& g) const {
        detail::apply([&](const auto&... en) { (g(en), ...); }, entries);
    }
    template <class EN>
    static auto bind_entry(const EN& en) {
        if constexpr (EN::is_gather) {
            auto b = en.index.bind();
            return access_entry<EN::name, decltype(b)>{b};
        } else {
            return en;
        }
    }
    template <fixed_string Name>
    index_t known_extent() const {
        const extent_info e = child.template extent<Name>();
        if (e.kind != extent_kind::exact && contains_v<Name, mapped_axes>)
            throw shape_error("loom: at() remaps axis '" + std::string(Name.view()) +
                              "' of an operand whose extent along it is not known");
        return e.value;
    }
    template <class EN>
    void check_gather(const EN& en) const {
        using IA = typename EN::axes_type;
        shape<IA> s;
        [&]<std::size_t... K>(std::index_sequence<K...>) {
            ((s.extent[K] = en.index.template extent<axis_at_t<IA, K>::name>().value), ...);
        }(std::make_index_sequence<IA::size>{});
        const index_t n = child_extent[index_of_v<EN::name, child_axes>];
        const auto bound = en.index.bind();
        detail::for_each_index(s, [&](const point<IA>& p) {
            const index_t i = static_cast<index_t>(bound.eval(p));
            if (i < 0 || i >= n)
                throw index_error("loom: gather index " + std::to_string(i) +
                                  " is out of range for axis '" + std::string(EN::name.view()) +
                                  "' of extent " + std::to_string(n));
        });
    }
    template <std::size_t K, class P>
    LOOM_HD void fill_one(point<child_axes>& q, const P& p, bool& inside) const {
        constexpr auto name = axis_at_t<child_axes, K>::name;
        constexpr std::size_t j = index_of_v<name, mapped_axes>;
        if constexpr (j == npos) {
            q.index[K] = p.template get<name>();
        } else {
            index_t i = detail::get<j>(entries).at(p);
            using B = std::conditional_t<std::is_same_v<Boundary, void>, zero_boundary, Boundary>;
            inside = detail::apply_boundary<B>(i, child_extent[K]) && inside;
            q.index[K] = i;
        }
    }
    template <class P, std::size_t... K>
    LOOM_HD void fill(point<child_axes>& q, const P& p, bool& inside,
                      std::index_sequence<K...>) const {
        (fill_one<K>(q, p, inside), ...);
    }
};

namespace detail {

template <class Arg>
auto make_entry(Arg&& arg) {
    using N = std::remove_cvref_t<Arg>;
    using value = std::remove_cvref_t<decltype(arg.value)>;
    if constexpr (affine_like<value>) {
        return access_entry<N::name, decltype(to_affine(arg.value))>{to_affine(arg.value)};
    } else {
        static_assert(!std::is_arithmetic_v<value>,
                      "loom: at() with an integer fixes an axis; use slice(axis = i) for that");
        static_assert(tensor_operand<value>,
                      "loom: at() takes `axis = affine index` (y = y + ky) or `axis = index "
                      "tensor` (v = ids)");
        static_assert(std::is_integral_v<typename expr_t<decltype(arg.value)>::value_type>,
                      "loom: a gather's index tensor must hold integers");
        using E = expr_t<decltype(arg.value)>;
        return access_entry<N::name, E>{as_expr(std::forward<decltype(arg.value)>(arg.value))};
    }
}

template <class ChildAxes, class... Args>
constexpr bool check_access_names() {
    return (require_axis_of_tensor<contains_v<std::remove_cvref_t<Args>::name, ChildAxes>,
                                   std::remove_cvref_t<Args>::name>() & ... & 1);
}

template <class Boundary, class E, class... Args>
auto make_access(E&& e, Args&&... args) {
    using child = expr_t<E>;
    static_assert(!std::is_same_v<Boundary, checked_boundary> ||
                      (!affine_like<std::remove_cvref_t<decltype(args.value)>> && ...),
                  "loom: loom::checked applies to index tensors (gathers); give affine indices "
                  "loom::zero, loom::clamp or loom::wrap");
    if constexpr (!check_access_names<typename child::axes_type, Args...>()) {
        return as_expr(std::forward<E>(e));  // not reached at run time: compilation failed
    } else {
        return access_node<child, Boundary, decltype(make_entry(std::forward<Args>(args)))...>(
        as_expr(std::forward<E>(e)), make_entry(std::forward<Args>(args))...);
    }
}

}  // namespace detail

/// `e` read at remapped indices: `at(e, y = y + ky, x = x + kx)` (zero outside by default),
/// `at(e, v = ids)` (a gather; out-of-range ids throw by default), or with a boundary policy
/// first: `at(e, loom::clamp, y = y - 1)`. Tensors and views offer the same as `x.at(...)`.
template <tensor_operand E, class First, class... Rest>
auto at(E&& e, First&& first, Rest&&... rest) {
    if constexpr (boundary_policy<std::remove_cvref_t<First>>)
        return detail::make_access<std::remove_cvref_t<First>>(std::forward<E>(e),
                                                                std::forward<Rest>(rest)...);
    else
        return detail::make_access<void>(std::forward<E>(e), std::forward<First>(first),
                                         std::forward<Rest>(rest)...);
}

LOOM_END_NAMESPACE
