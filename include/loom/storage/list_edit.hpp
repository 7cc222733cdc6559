/// \file
/// \brief Edits of axis lists that views need: replace one axis by several, or remove one.
#pragma once

#include <loom/axes/axis_list.hpp>

LOOM_BEGIN_NAMESPACE
namespace detail {

// Name is never deduced (nvcc cannot deduce a fixed_string): it rides in an axis type.
template <class Out, class NameAxis, class Repl, class... A>
struct splice_impl {
    using type = Out;
};
template <class... O, class NameAxis, class... R, class A0, class... A>
struct splice_impl<axis_list<O...>, NameAxis, axis_list<R...>, A0, A...>
    : splice_impl<std::conditional_t<A0::name == NameAxis::name, axis_list<O..., R...>,
                                     axis_list<O..., A0>>,
                  NameAxis, axis_list<R...>, A...> {};

template <class L, class NameAxis, class Repl>
struct splice;
template <class... A, class NameAxis, class Repl>
struct splice<axis_list<A...>, NameAxis, Repl> : splice_impl<axis_list<>, NameAxis, Repl, A...> {};

// `L` with the axis called `Name` replaced, in place, by the axes of `Repl` (none removes it).
template <class L, fixed_string Name, class Repl>
using splice_t = typename splice<L, axis<Name>, Repl>::type;

// The axes of several lists, one after the other (no merging: callers ensure distinct names).
template <class... L>
struct concat {
    using type = axis_list<>;
};
template <class... A, class... Rest>
struct concat<axis_list<A...>, Rest...> {
    template <class... B>
    static axis_list<A..., B...> join(axis_list<B...>*);
    using type = decltype(join(static_cast<typename concat<Rest...>::type*>(nullptr)));
};
template <class... L>
using concat_t = typename concat<L...>::type;

}  // namespace detail
LOOM_END_NAMESPACE
