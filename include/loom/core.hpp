/// \file
/// \brief The cheap base include: axes, shapes, tensors, views and printing, without the
/// expression language or the executors (include <loom/loom.hpp> for those).
#pragma once

#include <loom/axes/affine.hpp>
#include <loom/axes/axis.hpp>
#include <loom/axes/axis_list.hpp>
#include <loom/io/print.hpp>
#include <loom/shape/range.hpp>
#include <loom/shape/shape.hpp>
#include <loom/storage/tensor.hpp>
#include <loom/storage/view.hpp>
