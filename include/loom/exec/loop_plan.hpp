/// \file
/// \brief `loop_plan`: the loop nest an executor chose, as explain() prints it, and the
/// non-template code that turns an executor's choices into that text.
#pragma once

#include <loom/config.hpp>
#include <loom/plan/hoist.hpp>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

LOOM_BEGIN_NAMESPACE

/// The loop nest an executor chose for one assignment, as explain() prints it.
struct loop_plan {
    std::string policy;                          ///< The executor.
    std::vector<std::string> loops;              ///< Loop axes with extents, outermost first.
    std::string vector_axis;                     ///< The vectorised axis, or empty.
    std::size_t width = 1;                       ///< Lanes per pack.
    std::vector<hoisted_reduction> hoisted;      ///< Reductions evaluated once, beforehand.
    std::size_t threads = 1;                     ///< Threads used.
    std::string parallel_axis;                   ///< The axis split across threads, or empty.
    std::string body;                            ///< The expression evaluated in the nest.
    std::string plugin;                          ///< The tuned kernel used instead, or empty.
    std::vector<std::string> schedule;           ///< Directives that overrode the planner.
    std::string flattened;  ///< Axes that run as one row (dense in one layout), or empty.

    /// The plan as an indented loop nest.
    LOOM_COLD std::string to_string() const {
        std::ostringstream os;
        os << "policy " << policy;
        if (threads > 1) os << " (" << threads << " threads over " << parallel_axis << ")";
        os << "\n";
        for (const auto& d : schedule) os << "schedule: " << d << "\n";
        if (!plugin.empty())
            os << "plug-in: " << plugin << " computes " << body
               << "\n  (the loop nest below runs if it declines these strides)\n";
        for (const auto& h : hoisted) {
            if (!h.kept.empty()) {
                os << "kept: " << h.what << "\n  " << h.kept << "\n";
                continue;
            }
            os << "hoisted: " << h.what << "\n  "
               << (h.per_row ? "computed row by row, just before each row of the nest, into a "
                               "temporary "
                             : "computed once into a temporary ")
               << h.layout << "\n";
        }
        if (!flattened.empty())
            os << "as one row: " << flattened
               << " follow one another in memory in the destination and every operand\n";
        std::string indent;
        for (const auto& l : loops) {
            os << indent << "for " << l;
            if (!vector_axis.empty() && l.rfind(vector_axis + " ", 0) == 0)
                os << "  (vectorised, " << width << " lanes, scalar tail)";
            os << ":\n";
            indent += "  ";
        }
        os << indent << "value = " << body << "\n";
        return os.str();
    }
};

namespace detail {

// "axis in [0, extent)" for each axis, outermost first, the axis at `inner` (if any) last.
LOOM_COLD inline std::vector<std::string> loop_names(const std::string_view* names,
                                                     const index_t* extents, std::size_t rank,
                                                     std::size_t inner) {
    std::vector<std::string> out;
    auto text = [&](std::size_t k) {
        return std::string(names[k]) + " in [0, " + std::to_string(extents[k]) + ")";
    };
    for (std::size_t k = 0; k < rank; ++k)
        if (k != inner) out.push_back(text(k));
    if (inner < rank) out.push_back(text(inner));
    return out;
}

// What a vector loop chose, as plain values. explain()'s text is built from these by one
// non-template function: built inside every executor instantiation, the strings were a
// third of a small program's machine code.
struct nest_choices {
    const std::string_view* names = nullptr;  // the destination's axes, in order
    const index_t* extents = nullptr;
    std::size_t rank = 0;
    std::size_t vec = npos;         // the vectorised axis
    std::size_t tile_axis = npos;   // packs along it, stored transposed along `vec`
    std::size_t block_axis = npos;  // square blocks with `vec`
    std::size_t row_axis = npos;    // rows held in registers in a sweep
    bool accumulate = false;        // a top reduction swept into the destination
    std::size_t width = 1;          // lanes per pack
    int tile_rows = 0;              // rows x packs of a register group
    int tile_packs = 0;
    index_t tile_span = 0;          // most elements of a transposed tile's row
    index_t block = 0;              // side of a square block
    std::string reduction;          // the swept reduction's extents
    bool flat = false;              // the whole nest runs as one row (vector_loop::flat)
};

// Fills `out.loops`, `out.vector_axis` and `out.width` from `c`.
LOOM_COLD inline void describe_nest(const nest_choices& c, loop_plan& out) {
    const std::size_t vec = c.tile_axis != npos ? c.tile_axis : c.vec;
    out.loops = loop_names(c.names, c.extents, c.rank, vec == npos ? c.rank - 1 : vec);
    out.vector_axis.clear();
    out.width = 1;
    if (vec != npos) {
        out.vector_axis = std::string(c.names[vec]);
        out.width = c.width;
    }
    if (c.accumulate) {
        std::string groups;
        if (c.row_axis != npos)
            groups = " (" + std::to_string(c.tile_rows) + " rows of " +
                     std::string(c.names[c.row_axis]) + " x " + std::to_string(c.tile_packs) +
                     " packs held in registers)";
        out.loops.insert(out.loops.end() - 1, "the reduction over " + c.reduction +
                                                  ", into the destination row" + groups);
    }
    if (c.tile_axis != npos) {
        const std::string across(c.names[c.vec]);
        out.loops.insert(out.loops.begin(),
                         "tiles of " + std::to_string(c.width) + " x up to " +
                             std::to_string(c.tile_span) + " (" + across +
                             " is strided in the leaves): packs along " + out.vector_axis +
                             " into a buffer, stored transposed along " + across);
    }
    out.flattened.clear();
    for (std::size_t k = 0; c.flat && k < c.rank; ++k)
        out.flattened += (k ? ", " : "") + std::string(c.names[k]);
    if (c.block_axis != npos)
        out.loops.insert(out.loops.begin(), "blocks of " + std::to_string(c.block) + " along " +
                                                std::string(c.names[c.block_axis]) + " and " +
                                                out.vector_axis + " (strided reads)");
}

}  // namespace detail

LOOM_END_NAMESPACE
