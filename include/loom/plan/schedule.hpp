/// \file
/// \brief Schedules: directives that override the planner's choices for one assignment
/// (`y.assign(loom::par.with(loom::vectorize(j), loom::parallel(b)), e)`) and never change a
/// result. A directive naming an axis the expression lacks fails to compile, naming it.
#pragma once

#include <loom/axes/axis_list.hpp>
#include <loom/detail/tuple.hpp>

LOOM_BEGIN_NAMESPACE

/// The kinds of schedule directive.
enum class directive_kind {
    vectorize,  ///< Vectorise this destination axis (innermost loop).
    parallel,   ///< Split this destination axis across threads (`par` only).
    tile,       ///< Run this axis in blocks of `size`, the block loop outermost.
    unroll,     ///< Evaluate `size` packs per iteration of this (vectorised) axis.
    order,      ///< The destination's loops, outermost first.
};

/// One directive about axis `Name`; see vectorize(), parallel(), tile(), unroll().
/// @tparam Kind the directive. @tparam Name the axis it is about.
template <directive_kind Kind, fixed_string Name>
struct axis_directive {
    static constexpr directive_kind kind = Kind;  ///< What it asks for.
    static constexpr auto axis_name = Name;       ///< The axis it is about.
    using axes_type = axis_list<axis<Name>>;      ///< The axes it names.
    index_t size = 0;                             ///< Block size or unroll factor.
};

/// The destination's loop order, outermost first; see order().
/// @tparam Axes the axes in loop order.
template <class Axes>
struct order_directive {
    static constexpr directive_kind kind = directive_kind::order;  ///< What it asks for.
    using axes_type = Axes;                                        ///< The axes it names.
    index_t size = 0;                                              ///< Unused.
};

/// Vectorise axis `a` (its loop becomes the innermost): `vectorize(j)`.
template <axis_tag A>
constexpr auto vectorize(A) {
    return axis_directive<directive_kind::vectorize, A::name>{};
}
/// Split axis `a` across threads (with `loom::par`): `parallel(b)`.
template <axis_tag A>
constexpr auto parallel(A) {
    return axis_directive<directive_kind::parallel, A::name>{};
}
/// Run axis `a` in blocks of `n`, the block loop outermost: `tile(b, 64)`. On the first
/// reduced axis of a top reduction it sets the reduction's block size.
template <axis_tag A>
constexpr auto tile(A, index_t n) {
    return axis_directive<directive_kind::tile, A::name>{n};
}
/// Evaluate `n` packs per iteration of the vectorised axis `a`: `unroll(j, 2)`.
template <axis_tag A>
constexpr auto unroll(A, index_t n) {
    return axis_directive<directive_kind::unroll, A::name>{n};
}
/// The destination's loop order, outermost first: `order(b, j)`.
template <axis_tag... A>
constexpr auto order(A...) {
    return order_directive<axis_list<axis<A::name>...>>{};
}

/// A policy with a schedule: made by `loom::simd.with(...)` or `loom::par.with(...)`.
/// @tparam Policy the policy scheduled. @tparam D the directives.
template <class Policy, class... D>
struct scheduled_policy {
    static constexpr const char* name = Policy::name;  ///< The policy's name.
    Policy policy;                                     ///< The policy scheduled.
    detail::tuple<D...> directives;                    ///< The directives, in order given.
};

/// `policy` with the schedule `d...`.
template <class Policy, class... D>
constexpr scheduled_policy<Policy, D...> with_schedule(const Policy& policy, D... d) {
    return {policy, {{{d}...}}};
}

/// Fails to compile, naming `Name`, unless `Ok`: a schedule names an axis that is neither a
/// loop of the destination nor reduced by the expression.
template <bool Ok, fixed_string Name>
constexpr int require_scheduled_axis() {
    static_assert(Ok || report<schedule_names_absent_axis<Name>>(),
                  "loom: a schedule names an axis that the expression does not have");
    return Ok ? 1 : 0;
}

LOOM_END_NAMESPACE
