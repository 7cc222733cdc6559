/// \file
/// \brief Blocked pairwise summation: how loom keeps float sums accurate. Each accumulator (a
/// scalar, or one SIMD lane) adds at most `summation_block` terms; its partial sum then joins
/// a binary cascade that adds partial sums of equal size pairwise. The rounding error of a
/// sum of n terms is then at most about (summation_block + log2(n)) * eps * sum(|x|),
/// instead of n * eps * sum(|x|) for one running sum.
#pragma once

#include <loom/expr/reducers.hpp>

#include <cstdint>

LOOM_BEGIN_NAMESPACE

/// Terms one accumulator adds before its partial sum joins the pairwise cascade.
inline constexpr index_t summation_block = 256;

namespace detail {

// Reductions that sum floating-point values, whose partial sums the cascade combines.
template <class R>
inline constexpr bool cascaded_sum = false;
template <class T>
inline constexpr bool cascaded_sum<reducer::sum<T>> = std::is_floating_point_v<T>;
template <class T>
inline constexpr bool cascaded_sum<reducer::mean<T>> = std::is_floating_point_v<T>;

// Partial sums of 1, 2, 4, ... blocks: pushing a block adds it to the equal-sized partial
// sums below it, like a binary counter; total() adds what is left, smallest first.
template <class S>
struct sum_cascade {
    S level[48];
    std::uint64_t blocks = 0;

    LOOM_HD void push(S block) {
        int k = 0;
        for (std::uint64_t c = blocks; c & 1u; c >>= 1, ++k) block = level[k] + block;
        level[k] = block;
        ++blocks;
    }
    // Counts one more term added to `partial`; after summation_block terms, `partial` joins
    // the cascade and restarts from `zero`.
    LOOM_HD void counted(S& partial, index_t& terms, const S& zero) {
        if (++terms < summation_block) return;
        push(partial);
        partial = zero;
        terms = 0;
    }
    LOOM_HD S total(S partial) const {
        if (blocks == 0) return partial;
        for (int k = 0; k < 48; ++k)
            if (blocks >> k & 1u) partial = level[k] + partial;
        return partial;
    }
};

// Stands in for sum_cascade in reductions that are not float sums.
struct no_cascade {};

}  // namespace detail
LOOM_END_NAMESPACE
