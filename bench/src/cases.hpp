// The benchmark cases. Each runs loom and its peers at one thread count and adds the rows of
// its group(s) to the results; ids (for the command-line filter) are given in each comment.
#pragma once

namespace bench {

// "ctx.copy", "ctx.fma": the machine's copy bandwidth and FP32 FMA peak, for context.
void case_machine(int threads);
// "a.chain_large", "a.chain_small": y = exp(a*x + b) * z - x on 2^24 and 2^14 floats.
void case_chain(int threads);
// "e.slice", "e.transpose": the chain through a strided slice and a transposed view.
void case_chain_views(int threads);
// "b.softmax_rows", "c.softmax_cols": softmax along the contiguous and the outer axis.
void case_softmax(int threads);
// "d.matmul": c = sum(a * b, k), 1024^3.
void case_matmul(int threads);
// "e.bcast_row", "e.bcast_col", "e.mid_reduce": broadcasts and a middle-axis reduction.
void case_views(int threads);
// "g.compile": compile time and peak memory of loom's translation units and of the
// Eigen Tensor and xtensor versions of the tour.
void case_compile();

}  // namespace bench
