/// \file
/// \brief Types named after compile-time mistakes; loom's static_asserts fail on them so that
/// the compiler's message shows the problem and the axis name together.
#pragma once

#include <loom/axes/fixed_string.hpp>
#include <loom/config.hpp>

LOOM_BEGIN_NAMESPACE

/// Diagnostic types: each names a mistake; its template arguments name the axes involved.
namespace diagnostic {
/// The axis `Name` appears twice in one tensor type or expression.
template <fixed_string Name>
struct axis_named_twice {};
/// The axis `Name` is declared with two different static extents.
template <fixed_string Name, index_t A, index_t B>
struct conflicting_static_extents {};
/// An index or extent names the axis `Name`, which the tensor does not have.
template <fixed_string Name>
struct tensor_has_no_axis {};
/// The tensor's axis `Name` was not given a value (index or extent).
template <fixed_string Name>
struct missing_value_for_axis {};
/// A reduction names the axis `Name`, which the expression does not have.
template <fixed_string Name>
struct reduced_axis_not_in_expression {};
/// The assigned expression has the axis `Name`, which the destination lacks.
template <fixed_string Name>
struct destination_lacks_axis {};
/// The destination has the axis `Name`, which the assigned expression lacks.
template <fixed_string Name>
struct expression_lacks_axis {};
/// Two operands have element types `A` and `B`; loom converts only by an explicit cast.
template <class A, class B>
struct mixed_element_types {};
/// Assignment would narrow the expression's element type `From` to the destination's `To`.
template <class From, class To>
struct narrowing_assignment {};
/// A rename's target name `Name` is already an axis of the expression.
template <fixed_string Name>
struct rename_target_exists {};
}  // namespace diagnostic

namespace detail {
// Always false, but only once instantiated with the diagnostic type, so the type (and with it
// the axis name) appears in the compiler's "required from" / "evaluates to false" lines.
template <class Diagnostic>
constexpr bool report() {
    return false;
}
}  // namespace detail

using namespace diagnostic;  // NOLINT: diagnostic names are meant to be short in messages

LOOM_END_NAMESPACE
