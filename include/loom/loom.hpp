/// \file
/// \brief Everything: tensors, the expression language, the executors and the op library.
#pragma once

#include <loom/core.hpp>
#include <loom/exec/explain.hpp>
#include <loom/exec/par.hpp>
#include <loom/exec/policy.hpp>
#include <loom/exec/scheduled.hpp>
#include <loom/exec/seq.hpp>
#include <loom/exec/simd.hpp>
#include <loom/expr/access.hpp>
#include <loom/expr/generate.hpp>
#include <loom/expr/map.hpp>
#include <loom/expr/operators.hpp>
#include <loom/expr/reduce.hpp>
#include <loom/expr/rename.hpp>
#include <loom/expr/share.hpp>
#include <loom/ops/activations.hpp>
