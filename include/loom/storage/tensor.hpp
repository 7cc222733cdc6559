/// \file
/// \brief The owning tensor with named axes, and the `tensor<T, "a", "b">` spelling.
#pragma once

#include <loom/storage/buffer.hpp>
#include <loom/storage/view.hpp>

#include <concepts>
#include <initializer_list>

LOOM_BEGIN_NAMESPACE

/// One axis in a tensor type: a name (`"batch"`) or an axis tag with a static extent.
/// The name is packed into integers, not held as a char array: nvcc's host stubs cannot spell
/// a template argument value that holds an array, and tensor types reach kernels.
/// @tparam N the name's array size including the terminating zero.
template <std::size_t N>
struct axis_spec {
    static_assert(N <= 33, "loom: an axis name in a tensor type has at most 32 characters");
    static constexpr std::size_t length = N - 1;  ///< Characters in the name.
    unsigned long long w0 = 0;  ///< Characters 0 to 7 of the name.
    unsigned long long w1 = 0;  ///< Characters 8 to 15 of the name.
    unsigned long long w2 = 0;  ///< Characters 16 to 23 of the name.
    unsigned long long w3 = 0;  ///< Characters 24 to 31 of the name.
    index_t extent = dynamic_extent;     ///< The static extent, or dynamic_extent.
    /// A dynamic axis named by a string literal.
    constexpr axis_spec(const char (&text)[N]) noexcept { pack(text); }  // NOLINT
    /// The axis of a tag, with its static extent if it has one.
    template <axis_tag A>
    constexpr axis_spec(A) noexcept : extent(A::static_extent) { pack(A::name.chars); }  // NOLINT
    /// Packed words and an extent (nvcc's host code spells a spec this way).
    constexpr axis_spec(unsigned long long a, unsigned long long b, unsigned long long c,
                        unsigned long long d, index_t e) noexcept
        : w0(a), w1(b), w2(c), w3(d), extent(e) {}
    /// Character `k` of the name.
    constexpr char at(std::size_t k) const noexcept {
        const unsigned long long w = k < 8 ? w0 : k < 16 ? w1 : k < 24 ? w2 : w3;
        return static_cast<char>((w >> (8 * (k % 8))) & 0xffu);
    }

private:
    constexpr void pack(const char* text) noexcept {
        for (std::size_t k = 0; k < length; ++k) {
            unsigned long long& w = k < 8 ? w0 : k < 16 ? w1 : k < 24 ? w2 : w3;
            w |= static_cast<unsigned long long>(static_cast<unsigned char>(text[k])) << (8 * (k % 8));
        }
    }
};
/// Deduces the spec of a string literal.
template <std::size_t N>
axis_spec(const char (&)[N]) -> axis_spec<N>;
/// Deduces the spec of an axis tag.
template <axis_tag A>
axis_spec(A) -> axis_spec<A::name.size() + 1>;

namespace detail {
template <class Seq>
struct spec_axis;
template <std::size_t... I>
struct spec_axis<std::index_sequence<I...>> {
    template <auto S>
    using type = basic_axis<axis_name<S.at(I)...>, S.extent>;
};
template <auto S>
using spec_axis_t =
    typename spec_axis<std::make_index_sequence<S.length>>::template type<S>;
}  // namespace detail

/// The axis list named by specs: `axes_of<"a", "b">` is `axis_list<axis<"a">, axis<"b">>`.
template <axis_spec... S>
using axes_of = axis_list<detail::spec_axis_t<S>...>;

/// A tensor owning its elements: `loom::tensor<float, "batch", "in">`. The axis order is the
/// memory order (last axis contiguous). Axes may be axis tags with static extents.
template <class T, axis_spec... S>
using tensor = basic_tensor<T, axes_of<S...>>;

/// A strided view: `loom::tensor_view<const float, "batch", "in">`.
template <class T, axis_spec... S>
using tensor_view = basic_tensor_view<T, axes_of<S...>>;

namespace detail {
template <class... T>
inline constexpr bool dependent_false = false;
template <class T>
inline constexpr bool is_tensor_v = false;
template <class T, class Axes>
inline constexpr bool is_tensor_v<basic_tensor<T, Axes>> = true;

template <class T, std::size_t R>
struct nested_list {
    using type = std::initializer_list<typename nested_list<T, R - 1>::type>;
};
template <class T>
struct nested_list<T, 0> {
    using type = T;
};
}  // namespace detail

/// Satisfied by loom tensors and views (of any element type and axes).
template <class T>
concept tensor_like =
    detail::is_tensor_v<std::remove_cvref_t<T>> || detail::is_view_v<std::remove_cvref_t<T>>;

/// Satisfied by expression nodes, tensors and views: anything a tensor can be built from.
template <class E>
concept expression_source =
    std::derived_from<std::remove_cvref_t<E>, expr_base> || tensor_like<E>;

/// An owning tensor with value semantics (copies copy the elements), stored 64-byte aligned.
/// @tparam T the element type. @tparam Axes an axis_list; its order is the memory order.
template <class T, class Axes>
class basic_tensor {
    static_assert(!std::is_const_v<T> && !std::is_reference_v<T>,
                  "loom: a tensor's element type must be a plain object type");
    static_assert(unique_axes_v<Axes>);

public:
    using value_type = T;                            ///< Element type.
    using axes_type = Axes;                          ///< The axes, in memory order.
    using shape_type = loom::shape<Axes>;            ///< Extents by name.
    using view_type = basic_tensor_view<T, Axes>;    ///< A writable view of all elements.
    using const_view_type = basic_tensor_view<const T, Axes>;  ///< A read-only view.
    static constexpr std::size_t rank = Axes::size;  ///< Number of axes.

    /// Zero dynamic extents (static extents as declared), value-initialised elements.
    basic_tensor() : basic_tensor(shape_type{}) {}
    /// The given shape; elements value-initialised.
    explicit basic_tensor(const shape_type& s) : shape_(s), buffer_(s.size()) {}
    /// Extents by name in any order, `tensor t({b = 32, i = 256})`; elements value-initialised.
    template <std::size_t N>
    explicit basic_tensor(const named_extent<Axes> (&extents)[N])
        : basic_tensor(make_shape(extents)) {}
    /// The given shape, every element set to `value`.
    basic_tensor(const shape_type& s, const T& value) : basic_tensor(s) { view().fill(value); }
    /// Extents by name, every element set to `value`: `tensor t({b = 2}, 1.0f)`.
    template <std::size_t N>
    basic_tensor(const named_extent<Axes> (&extents)[N], const T& value)
        : basic_tensor(make_shape(extents), value) {}
    /// Extents by name, each element `f(p)` where `p` is the element's point: `p[b]`, `p[i]`.
    template <std::size_t N, class F>
        requires std::invocable<F&, const point<Axes>&>
    basic_tensor(const named_extent<Axes> (&extents)[N], F f)
        : basic_tensor(make_shape(extents), std::move(f)) {}
    /// The given shape, each element `f(p)` where `p` is the element's point.
    template <class F>
        requires std::invocable<F&, const point<Axes>&>
    basic_tensor(const shape_type& s, F f) : basic_tensor(s) {
        T* d = buffer_.data();
        index_t n = 0;
        detail::for_each_index(shape_, [&](const point<Axes>& p) { d[n++] = static_cast<T>(f(p)); });
    }
    /// Elements from nested braces, outermost brace for the first axis: `{{1, 2}, {3, 4}}`.
    /// Throws shape_error when the rows are ragged or disagree with a static extent.
    basic_tensor(typename detail::nested_list<T, rank>::type values)  // NOLINT: like vector
        requires(rank > 0)
    {
        shape_type s;
        measure<0>(values, s);
        *this = basic_tensor(s);
        T* d = buffer_.data();
        copy_nested<0>(values, d);
    }
    /// Evaluates an expression, or copies a tensor or view whose axes may be in another order
    /// (a transposing copy). Extents are taken from the source by name.
    template <expression_source E>
        requires(!std::is_same_v<std::remove_cvref_t<E>, basic_tensor>)
    basic_tensor(const E& e)  // NOLINT: implicit so that `tensor y = expr;` reads naturally
        : basic_tensor(detail::expr_hooks<E>::template shape_for<Axes>(e)) {
        detail::assign_fresh(typename detail::default_policy<E>::type{}, view(), e);
    }
    basic_tensor(const basic_tensor&) = default;             ///< Copies the elements.
    /// Takes the elements; the source is left with zero dynamic extents (a tensor whose axes
    /// are all static has no empty state, so it is copied instead).
    basic_tensor(basic_tensor&& other) noexcept(!all_static)
        : shape_(other.shape_), buffer_(take(other)) {}
    basic_tensor& operator=(const basic_tensor&) = default;  ///< Copies the elements.
    /// Takes the elements, leaving the source as the move constructor does.
    basic_tensor& operator=(basic_tensor&& other) noexcept(!all_static) {
        shape_ = other.shape_;
        buffer_ = take(other);
        return *this;
    }

    /// Evaluates `e` into this tensor, reshaping it to the extents of `e` when they differ.
    /// An axis whose extent `e` only suggests (`y` in `x.at(y = y + 1)`) keeps this tensor's
    /// extent, unless the tensor is empty: then it takes the suggestion.
    template <expression_source E>
        requires(!std::is_same_v<std::remove_cvref_t<E>, basic_tensor>)
    basic_tensor& operator=(const E& e) {
        return assign(typename detail::default_policy<E>::type{}, e);
    }
    /// Evaluates `e` into this tensor with the policy `policy` (reshaping as operator= does).
    template <class Policy, class E>
    basic_tensor& assign(const Policy& policy, const E& e) {
        const shape_type s =
            detail::expr_hooks<E>::template shape_for<Axes>(e, size() > 0 ? &shape_ : nullptr);
        if (s == shape_) {
            view().assign(policy, e);
        } else {
            basic_tensor fresh(s);
            detail::assign_fresh(policy, fresh.view(), e);
            *this = std::move(fresh);
        }
        return *this;
    }
    /// Sets every element to `value`.
    void fill(const T& value) { view().fill(value); }

    /// A writable view of all elements.
    view_type view() & noexcept { return view_type(buffer_.data(), shape_); }
    /// A read-only view of all elements.
    const_view_type view() const& noexcept { return const_view_type(buffer_.data(), shape_); }
    /// Not for temporaries: the view would outlive the elements.
    template <class Self = basic_tensor>
    void view() && {
        static_assert(detail::dependent_false<Self>,
                      "loom: a view of a temporary tensor would dangle; name the tensor first");
    }
    /// Address of the first element.
    T* data() noexcept { return buffer_.data(); }
    /// Address of the first element.
    const T* data() const noexcept { return buffer_.data(); }
    /// Extents by name.
    const shape_type& shape() const noexcept { return shape_; }
    /// Number of elements.
    index_t size() const noexcept { return shape_.size(); }
    /// Extent of axis `a`.
    template <axis_tag A>
    index_t extent(A a) const {
        return shape_[a];
    }
    /// Element stride of axis `a` (dense, last axis contiguous).
    template <axis_tag A>
    index_t stride(A a) const {
        return view().stride(a);
    }

    /// The element at an index given by name for every axis, in any order (unchecked).
    template <class... A>
    T& operator()(A&&... a) {
        return view()(std::forward<A>(a)...);
    }
    /// The element at an index given by name for every axis, in any order (unchecked).
    template <class... A>
    const T& operator()(A&&... a) const {
        return view()(std::forward<A>(a)...);
    }
    /// Checked element access, or affine/gather access as an expression; see the view's at().
    template <class... A>
    decltype(auto) at(A&&... a) & {
        return view().at(std::forward<A>(a)...);
    }
    /// Checked element access, or affine/gather access as an expression; see the view's at().
    template <class... A>
    decltype(auto) at(A&&... a) const& {
        return view().at(std::forward<A>(a)...);
    }
    /// On a temporary: a checked element by value, or an expression that owns the tensor.
    template <class... A>
    auto at(A&&... a) && {
        if constexpr (sizeof...(A) == rank && (named_integer<A> && ...))
            return value_type(view().at(std::forward<A>(a)...));
        else
            return detail::expr_hooks<A...>::access(std::move(*this), std::forward<A>(a)...);
    }
    /// A view of a sub-range along named axes; see the view's slice().
    template <class... A>
    auto slice(A&&... a) & {
        return view().slice(std::forward<A>(a)...);
    }
    /// A read-only view of a sub-range along named axes; see the view's slice().
    template <class... A>
    auto slice(A&&... a) const& {
        return view().slice(std::forward<A>(a)...);
    }
    /// Not for temporaries: the view would outlive the elements.
    template <class... A>
    void slice(A&&...) && {
        static_assert(detail::dependent_false<A...>,
                      "loom: a view of a temporary tensor would dangle; name the tensor first "
                      "(or use the free function, which owns its operand)");
    }
    /// A view with one axis renamed; see the view's rename().
    template <class... A>
    auto rename(A&&... a) & {
        return view().rename(std::forward<A>(a)...);
    }
    /// A read-only view with one axis renamed; see the view's rename().
    template <class... A>
    auto rename(A&&... a) const& {
        return view().rename(std::forward<A>(a)...);
    }
    /// Not for temporaries: the view would outlive the elements.
    template <class... A>
    void rename(A&&...) && {
        static_assert(detail::dependent_false<A...>,
                      "loom: a view of a temporary tensor would dangle; name the tensor first "
                      "(or use the free function, which owns its operand)");
    }
    /// A view with the axes in another order; see the view's permute().
    template <class... A>
    auto permute(A&&... a) & {
        return view().permute(std::forward<A>(a)...);
    }
    /// A read-only view with the axes in another order; see the view's permute().
    template <class... A>
    auto permute(A&&... a) const& {
        return view().permute(std::forward<A>(a)...);
    }
    /// Not for temporaries: the view would outlive the elements.
    template <class... A>
    void permute(A&&...) && {
        static_assert(detail::dependent_false<A...>,
                      "loom: a view of a temporary tensor would dangle; name the tensor first "
                      "(or use the free function, which owns its operand)");
    }
    /// A view with one axis split in two; see the view's split().
    template <class... A>
    auto split(A&&... a) & {
        return view().split(std::forward<A>(a)...);
    }
    /// A read-only view with one axis split in two; see the view's split().
    template <class... A>
    auto split(A&&... a) const& {
        return view().split(std::forward<A>(a)...);
    }
    /// Not for temporaries: the view would outlive the elements.
    template <class... A>
    void split(A&&...) && {
        static_assert(detail::dependent_false<A...>,
                      "loom: a view of a temporary tensor would dangle; name the tensor first "
                      "(or use the free function, which owns its operand)");
    }
    /// A view with two axes merged; see the view's merge().
    template <class... A>
    auto merge(A&&... a) & {
        return view().merge(std::forward<A>(a)...);
    }
    /// A read-only view with two axes merged; see the view's merge().
    template <class... A>
    auto merge(A&&... a) const& {
        return view().merge(std::forward<A>(a)...);
    }
    /// Not for temporaries: the view would outlive the elements.
    template <class... A>
    void merge(A&&...) && {
        static_assert(detail::dependent_false<A...>,
                      "loom: a view of a temporary tensor would dangle; name the tensor first "
                      "(or use the free function, which owns its operand)");
    }

private:
    static constexpr bool all_static = [] {
        for (std::size_t k = 0; k != rank; ++k)
            if (shape_type{}.extent[k] == 0) return false;
        return true;
    }();
    static detail::aligned_buffer<T> take(basic_tensor& other) {
        if constexpr (all_static) {
            return other.buffer_;
        } else {
            other.shape_ = shape_type{};
            return std::move(other.buffer_);
        }
    }
    template <std::size_t K, class List>
    static void measure(const List& list, shape_type& s) {
        using A = axis_at_t<Axes, K>;
        const index_t n = static_cast<index_t>(list.size());
        if (A::static_extent != dynamic_extent && n != A::static_extent)
            throw shape_error("loom: axis '" + std::string(A::name.view()) +
                              "' has the static extent " + std::to_string(A::static_extent) +
                              " but the braces give " + std::to_string(n));
        s.extent[K] = n;
        if constexpr (K + 1 < rank) {
            if (n == 0) return;
            measure<K + 1>(*list.begin(), s);
            for (const auto& inner : list)
                if (static_cast<index_t>(inner.size()) != s.extent[K + 1])
                    throw shape_error("loom: ragged braces along axis '" +
                                      std::string(axis_at_t<Axes, K + 1>::name.view()) + "': " +
                                      std::to_string(inner.size()) + " elements where " +
                                      std::to_string(s.extent[K + 1]) + " were expected");
        }
    }
    template <std::size_t K, class List>
    static void copy_nested(const List& list, T*& out) {
        for (const auto& item : list) {
            if constexpr (K + 1 < rank) copy_nested<K + 1>(item, out);
            else *out++ = item;
        }
    }

    shape_type shape_;
    detail::aligned_buffer<T> buffer_;
};

LOOM_END_NAMESPACE
