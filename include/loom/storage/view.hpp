/// \file
/// \brief Non-owning strided views with named axes: slices, renames, permutations, splits
/// and merges are views, never copies.
#pragma once

#include <loom/axes/axis_list.hpp>
#include <loom/shape/for_each_index.hpp>
#include <loom/shape/index_array.hpp>
#include <loom/shape/range.hpp>
#include <loom/storage/fwd.hpp>
#include <loom/storage/list_edit.hpp>

#include <string>
#include <type_traits>

LOOM_BEGIN_NAMESPACE

namespace detail {
// The policy of `tensor t = e`, `t = e` and eval(e): SIMD, with threads when the work is
// large enough. Dependent, so storage never instantiates an executor itself.
template <class E>
struct default_policy {
    using type = par_policy;
};
template <class N>
inline constexpr bool is_range_binding_v =
    std::is_same_v<std::remove_cvref_t<decltype(std::declval<N>().value)>, range>;
// Axes that a slice removes: those fixed by an integer.
template <class N>
using fixed_by_integer_t =
    std::conditional_t<named_integer<N>, axis_list<axis<N::name>>, axis_list<>>;
// Each axis of `Axes` must be named by one of `Named`; a missing one fails, naming it.
template <fixed_string Name, class... Named>
constexpr bool is_named() {
    return ((Named::name == Name) || ...);
}
template <class Axes, class... Named>
constexpr bool all_axes_given() {
    return []<class... A>(axis_list<A...>*) {
        return (require_value_for_axis<is_named<A::name, Named...>(), A::name>() & ... & 1);
    }(static_cast<Axes*>(nullptr));
}
template <class T>
inline constexpr bool is_view_v = false;
template <class T, class Axes>
inline constexpr bool is_view_v<basic_tensor_view<T, Axes>> = true;
}  // namespace detail

/// A strided, non-owning view of elements of type `T` over the named axes `Axes`.
/// Assigning to a view writes the viewed elements (it never rebinds the view).
/// @tparam T the element type, `const` for read-only views. @tparam Axes an axis_list.
template <class T, class Axes>
class basic_tensor_view {
    static_assert(unique_axes_v<Axes>);

public:
    using element_type = T;                          ///< Element type, possibly const.
    using value_type = std::remove_const_t<T>;       ///< Element type without const.
    using axes_type = Axes;                          ///< The axes; order is only the type's.
    using shape_type = loom::shape<Axes>;            ///< Extents by name.
    static constexpr std::size_t rank = Axes::size;  ///< Number of axes.
    using strides_type = index_array<rank>;  ///< Element strides in `Axes` order.

    /// An empty view: null data, zero dynamic extents.
    basic_tensor_view() = default;
    /// A dense view of `data` whose last axis is contiguous.
    basic_tensor_view(T* data, const shape_type& s) : data_(data), shape_(s) {
        contiguous_strides(shape_, strides_.data());
    }
    /// A dense view of `data` with extents by name: `tensor_view<float, "b", "i"> v(p, {b = 3, i = 4})`.
    template <std::size_t N>
    basic_tensor_view(T* data, const named_extent<Axes> (&extents)[N])
        : basic_tensor_view(data, make_shape(extents)) {}
    /// A view of `data` with extents by name and explicit element strides in `Axes` order.
    template <std::size_t N>
    basic_tensor_view(T* data, const named_extent<Axes> (&extents)[N], const strides_type& strides)
        : basic_tensor_view(data, make_shape(extents), strides) {}
    /// A view of `data` with explicit element strides (negative and zero strides allowed).
    basic_tensor_view(T* data, const shape_type& s, const strides_type& strides)
        : data_(data), shape_(s), strides_(strides) {}
    /// A read-only view of a writable one.
    template <class U>
        requires(std::is_same_v<const U, T> && !std::is_same_v<U, T>)
    basic_tensor_view(const basic_tensor_view<U, Axes>& v)  // NOLINT: implicit, like span
        : data_(v.data()), shape_(v.shape()), strides_(v.strides()) {}
    basic_tensor_view(const basic_tensor_view&) = default;  ///< Copies the view, not the data.

    /// Writes the elements of `other` into the viewed elements (extents must match).
    basic_tensor_view& operator=(const basic_tensor_view& other) {
        assign_default(other);
        return *this;
    }
    /// Evaluates an expression (or copies a tensor) into the viewed elements.
    template <class E>
        requires(!std::is_same_v<std::remove_cvref_t<E>, basic_tensor_view>)
    basic_tensor_view& operator=(const E& e) {
        assign_default(e);
        return *this;
    }
    /// Evaluates `e` into the viewed elements with the execution policy `policy`.
    template <class Policy, class E>
    void assign(const Policy& policy, const E& e) const {
        static_assert(!std::is_const_v<T>, "loom: cannot assign through a read-only view");
        if constexpr (!std::is_const_v<T>) executor<Policy>::assign(policy, *this, e);
    }
    /// Sets every viewed element to `value`.
    void fill(const value_type& value) const {
        static_assert(!std::is_const_v<T>, "loom: cannot fill a read-only view");
        detail::for_each_index(shape_, [&](const auto& p) {
            data_[detail::offset_of(p, strides_.data())] = value;
        });
    }

    /// Address of the element at index 0 along every axis.
    LOOM_HD T* data() const noexcept { return data_; }
    /// Extents by name.
    LOOM_HD const shape_type& shape() const noexcept { return shape_; }
    /// Element strides in `Axes` order.
    LOOM_HD const strides_type& strides() const noexcept { return strides_; }
    /// Number of elements.
    LOOM_HD index_t size() const noexcept { return shape_.size(); }
    /// Extent of axis `a`.
    template <axis_tag A>
    LOOM_HD index_t extent(A a) const {
        return shape_[a];
    }
    /// Element stride of axis `a`.
    template <axis_tag A>
    LOOM_HD index_t stride(A) const {
        if constexpr (!require_axis_of_tensor<contains_v<A::name, Axes>, A::name>()) return 0;
        else return strides_[index_of_v<A::name, Axes>];
    }
    /// True when the elements are dense with the last axis contiguous.
    bool is_contiguous() const {
        strides_type dense;
        contiguous_strides(shape_, dense.data());
        for (std::size_t k = 0; k < rank; ++k)
            if (shape_.extent[k] > 1 && strides_[k] != dense[k]) return false;
        return true;
    }

    /// The element at an index given by name for every axis, in any order: `x(b = 1, i = 2)`.
    /// Unchecked, like `std::vector::operator[]`; use at() for a checked access.
    template <named_integer... Named>
    T& operator()(Named... index) const {
        constexpr bool ok = detail::check_named_values<Axes, Named...>() &&
                            detail::names_distinct<Named...>() &&
                            detail::all_axes_given<Axes, Named...>();
        static_assert(sizeof...(Named) <= rank,
                      "loom: index every axis of the tensor by name (slice() for fewer)");
        if constexpr (!ok) return *data_;
        else return data_[(index_t{0} + ... +
                      (static_cast<index_t>(index.value) *
                       strides_[index_of_v<Named::name, Axes>]))];
    }
    /// Checked access `x.at(b = 1, i = 2)`, throwing index_error; with affine indices
    /// (`x.at(y = y + ky)`) or index tensors (`x.at(v = ids)`) it returns an expression.
    template <class... Args>
    decltype(auto) at(Args&&... args) const {
        if constexpr (sizeof...(Args) == rank && (named_integer<Args> && ...)) {
            (check_index<std::remove_cvref_t<Args>::name>(args.value), ...);
            return (*this)(args...);
        } else {
            return detail::expr_hooks<Args...>::access(*this, std::forward<Args>(args)...);
        }
    }

    /// A view of a sub-range along named axes: `x.slice(b = range(0, 8), i = 3)`. An integer
    /// fixes the index and removes the axis; a range keeps it. Out-of-range input throws.
    template <class... Named>
    auto slice(Named... n) const {
        static_assert(((named_integer<Named> || detail::is_range_binding_v<Named>) && ...),
                      "loom: slice() takes `axis = integer` or `axis = range(start, stop)`");
        detail::check_named_values<Axes, Named...>();
        static_assert(detail::names_distinct<Named...>());
        using kept = difference_t<
            Axes, typename detail::concat<detail::fixed_by_integer_t<Named>...>::type>;
        T* base = data_;
        strides_type st = strides_;
        shape_type sh = shape_;
        (apply_slice(n, base, sh, st), ...);
        return project<kept>(base, sh, st);
    }
    /// The same elements with axis `from` called `to`.
    template <axis_tag From, axis_tag To>
    auto rename(From, To) const {
        static_assert(From::name == To::name || !contains_v<To::name, Axes> ||
                          report<rename_target_exists<To::name>>(),
                      "loom: rename() target is already an axis of the tensor");
        if constexpr (!require_axis_of_tensor<contains_v<From::name, Axes>, From::name>()) {
            return *this;
        } else {
        using F = axis_named_t<From::name, Axes>;
        using out = rename_t<Axes, From::name,
                             axis<To::name, (To::static_extent != dynamic_extent
                                                 ? To::static_extent
                                                 : F::static_extent)>>;
        loom::shape<out> sh;
        for (std::size_t k = 0; k < rank; ++k) sh.extent[k] = shape_.extent[k];
        if (To::static_extent != dynamic_extent && To::static_extent != shape_[From{}])
            throw shape_error("loom: rename() to axis '" + std::string(To::name.view()) +
                              "' with static extent " + std::to_string(To::static_extent) +
                              " from '" + std::string(From::name.view()) + "' of extent " +
                              std::to_string(shape_[From{}]));
        return basic_tensor_view<T, out>(data_, sh, strides_);
        }
    }
    /// The same elements with the axes in another order (a transpose is a view, not a copy).
    template <axis_tag... A>
    auto permute(A...) const {
        constexpr bool known = (require_axis_of_tensor<contains_v<A::name, Axes>, A::name>() & ... & 1);
        static_assert(unique_axes_v<axis_list<axis<A::name>...>>);
        if constexpr (!known) {
            return *this;
        } else {
            using out = axis_list<axis_named_t<A::name, Axes>...>;
            static_assert(detail::all_axes_given<Axes, A...>(),
                          "loom: permute() must name every axis of the tensor exactly once");
            return project<out>(data_, shape_, strides_);
        }
    }
    /// Axis `a` split into `outer` and `inner` with `inner = n` elements: `x.split(h, ho, hi = 4)`.
    /// Throws shape_error unless `n` divides the extent of `a`.
    template <axis_tag A, axis_tag O, named_integer I>
    auto split(A, O, I inner) const {
        require_axis_of_tensor<contains_v<A::name, Axes>, A::name>();
        using out = detail::splice_t<Axes, A::name, axis_list<axis<O::name>, axis<I::name>>>;
        static_assert(unique_axes_v<out>);
        const index_t n = static_cast<index_t>(inner.value), e = shape_[A{}];
        if (n <= 0 || e % n != 0)
            throw shape_error("loom: split() of axis '" + std::string(A::name.view()) +
                              "' with extent " + std::to_string(e) + " into '" +
                              std::string(I::name.view()) + "' of " + std::to_string(n) +
                              ": the inner extent must divide the extent");
        constexpr std::size_t ka = index_of_v<A::name, Axes>;
        loom::shape<out> sh;
        index_array<out::size> st{};
        for (std::size_t k = 0, j = 0; k < rank; ++k, ++j) {
            if (k == ka) {
                sh.extent[j] = e / n, st[j] = strides_[k] * n, ++j;
                sh.extent[j] = n, st[j] = strides_[k];
            } else {
                sh.extent[j] = shape_.extent[k], st[j] = strides_[k];
            }
        }
        return basic_tensor_view<T, out>(data_, sh, st);
    }
    /// Axes `outer` and `inner` merged into one axis `into` at outer's place; needs
    /// stride(outer) == extent(inner) * stride(inner), else throws shape_error.
    template <axis_tag O, axis_tag I, axis_tag M>
    auto merge(O, I, M) const {
        require_axis_of_tensor<contains_v<O::name, Axes>, O::name>();
        require_axis_of_tensor<contains_v<I::name, Axes>, I::name>();
        using without_inner = detail::splice_t<Axes, I::name, axis_list<>>;
        using out = detail::splice_t<without_inner, O::name, axis_list<axis<M::name>>>;
        static_assert(unique_axes_v<out>);
        constexpr std::size_t ko = index_of_v<O::name, Axes>, ki = index_of_v<I::name, Axes>;
        if (strides_[ko] != shape_.extent[ki] * strides_[ki] && shape_.extent[ko] > 1)
            throw shape_error("loom: merge() of axes '" + std::string(O::name.view()) + "' and '" +
                              std::string(I::name.view()) + "': stride of '" +
                              std::string(O::name.view()) + "' (" + std::to_string(strides_[ko]) +
                              ") is not extent times stride of '" + std::string(I::name.view()) +
                              "' (" + std::to_string(shape_.extent[ki]) + " x " +
                              std::to_string(strides_[ki]) + "); copy into a tensor first");
        loom::shape<out> sh;
        index_array<out::size> st{};
        for (std::size_t k = 0, j = 0; k < rank; ++k) {
            if (k == ki) continue;
            sh.extent[j] = k == ko ? shape_.extent[ko] * shape_.extent[ki] : shape_.extent[k];
            st[j++] = k == ko ? strides_[ki] : strides_[k];
        }
        return basic_tensor_view<T, out>(data_, sh, st);
    }

private:
    template <class E>
    void assign_default(const E& e) {
        static_assert(!std::is_const_v<T>, "loom: cannot assign through a read-only view");
        if constexpr (!std::is_const_v<T>) {
            using policy = typename detail::default_policy<E>::type;
            executor<policy>::assign(policy{}, *this, e);
        }
    }
    template <fixed_string Name>
    void check_index(index_t i) const {
        const index_t e = shape_.template get<Name>();
        if (i < 0 || i >= e) detail::throw_index(Name.view(), i, e);
    }
    template <class N>
    static void apply_slice(const N& n, T*& base, shape_type& sh, strides_type& st) {
        constexpr std::size_t k = index_of_v<N::name, Axes>;
        const index_t e = sh.extent[k];
        const std::string axis_name(N::name.view());
        if constexpr (detail::is_range_binding_v<N>) {
            const range r = n.value;
            if (r.step <= 0)
                throw shape_error("loom: slice of axis '" + axis_name + "' needs a positive step");
            const index_t stop = r.stop < e ? r.stop : e;
            if (r.start < 0 || (r.start > stop && r.start != stop) || r.start > e)
                throw index_error("loom: slice start " + std::to_string(r.start) +
                                  " is out of range for axis '" + axis_name + "' of extent " +
                                  std::to_string(e));
            const index_t count = stop > r.start ? (stop - r.start + r.step - 1) / r.step : 0;
            if (base) base += r.start * st[k];  // an empty tensor's data is null: no offset
            sh.extent[k] = count;
            st[k] *= r.step;
        } else {
            const index_t i = static_cast<index_t>(n.value);
            if (i < 0 || i >= e)
                throw index_error("loom: index " + std::to_string(i) +
                                  " is out of range for axis '" + axis_name + "' of extent " +
                                  std::to_string(e));
            if (base) base += i * st[k];
            sh.extent[k] = 1;
        }
    }
    template <class Out>
    static auto project(T* base, const shape_type& sh, const strides_type& st) {
        loom::shape<Out> out_shape;
        index_array<Out::size> out_strides{};
        [&]<std::size_t... J>(std::index_sequence<J...>) {
            ((out_shape.extent[J] = sh.extent[index_of_v<axis_at_t<Out, J>::name, Axes>],
              out_strides[J] = st[index_of_v<axis_at_t<Out, J>::name, Axes>]), ...);
        }(std::make_index_sequence<Out::size>{});
        return basic_tensor_view<T, Out>(base, out_shape, out_strides);
    }

    T* data_ = nullptr;
    shape_type shape_{};
    strides_type strides_{};
};

LOOM_END_NAMESPACE
