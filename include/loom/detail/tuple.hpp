/// \file
/// \brief A minimal tuple that is trivially copyable when its members are and whose accessors
/// work in device code (std::tuple guarantees neither).
#pragma once

#include <loom/config.hpp>

#include <cstddef>
#include <utility>

LOOM_BEGIN_NAMESPACE
namespace detail {

template <std::size_t I, class T>
struct tuple_slot {
    T value;
};

template <class Seq, class... T>
struct tuple_base;
template <std::size_t... I, class... T>
struct tuple_base<std::index_sequence<I...>, T...> : tuple_slot<I, T>... {};

template <class... T>
struct tuple : tuple_base<std::index_sequence_for<T...>, T...> {
    static constexpr std::size_t size = sizeof...(T);
};

template <class... T>
constexpr tuple<std::decay_t<T>...> make_tuple(T&&... v) {
    return {{{std::forward<T>(v)}...}};
}

template <std::size_t I, class T>
LOOM_HD constexpr const T& get(const tuple_slot<I, T>& s) noexcept {
    return s.value;
}

template <std::size_t I, class T>
LOOM_HD constexpr T& get(tuple_slot<I, T>& s) noexcept {
    return s.value;
}

// Calls f(get<0>(t), get<1>(t), ...) and returns its result. The tuple binds to its base,
// which names the indices: one function per call, not two (this is instantiated for every
// node and every walk over a node's children). Host only: its callers (bind, validate,
// describe) pass host lambdas, which nvcc refuses to call from a __host__ __device__
// function under --Werror cross-execution-space-call.
template <class F, std::size_t... I, class... T>
constexpr decltype(auto) apply(F&& f, const tuple_base<std::index_sequence<I...>, T...>& t) {
    return f(static_cast<const tuple_slot<I, T>&>(t).value...);
}

}  // namespace detail
LOOM_END_NAMESPACE
