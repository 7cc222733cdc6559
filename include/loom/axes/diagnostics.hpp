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
/// A schedule names the axis `Name`, which the expression does not have.
template <fixed_string Name>
struct schedule_names_absent_axis {};
/// A rename's target name `Name` is already an axis of the expression.
template <fixed_string Name>
struct rename_target_exists {};

/// Always false; loom's static_asserts call it with a diagnostic type so that the type, and
/// with it the axis name, appears in the compiler's "evaluates to false" line.
template <class Diagnostic>
constexpr bool report() {
    return false;
}

/// Fails to compile, naming `Name`, unless `Ok`: an index, extent or slice names an axis
/// the tensor lacks.
template <bool Ok, fixed_string Name>
constexpr int require_axis_of_tensor() {
    static_assert(Ok || report<tensor_has_no_axis<Name>>(),
                  "loom: this names an axis that the tensor or expression does not have");
    return Ok ? 1 : 0;  // an int, so that checks combine with & (all instantiated)
}
/// Fails to compile, naming `Name`, unless `Ok`: the expression has an axis the destination
/// lacks.
template <bool Ok, fixed_string Name>
constexpr int require_destination_axis() {
    static_assert(Ok || report<destination_lacks_axis<Name>>(),
                  "loom: the expression has an axis that the destination lacks; reduce, slice "
                  "or rename it, or add the axis to the destination");
    return Ok ? 1 : 0;  // an int, so that checks combine with & (all instantiated)
}
/// Fails to compile, naming `Name`, unless `Ok`: the destination has an axis the expression
/// lacks.
template <bool Ok, fixed_string Name>
constexpr int require_expression_axis() {
    static_assert(Ok || report<expression_lacks_axis<Name>>(),
                  "loom: the destination has an axis that the expression lacks; broadcast it "
                  "explicitly or remove the axis from the destination");
    return Ok ? 1 : 0;  // an int, so that checks combine with & (all instantiated)
}
/// Fails to compile, naming `Name`, unless `Ok`: a reduction names an axis the expression
/// lacks.
template <bool Ok, fixed_string Name>
constexpr int require_reducible_axis() {
    static_assert(Ok || report<reduced_axis_not_in_expression<Name>>(),
                  "loom: a reduction names an axis that the expression does not have");
    return Ok ? 1 : 0;  // an int, so that checks combine with & (all instantiated)
}
/// Fails to compile, naming `Name`, unless `Ok`: an axis was given no index or extent.
template <bool Ok, fixed_string Name>
constexpr int require_value_for_axis() {
    static_assert(Ok || report<missing_value_for_axis<Name>>(),
                  "loom: an axis of the tensor was given no index or extent");
    return Ok ? 1 : 0;  // an int, so that checks combine with & (all instantiated)
}
}  // namespace diagnostic

using namespace diagnostic;  // NOLINT: diagnostic names are meant to be short in messages

LOOM_END_NAMESPACE
