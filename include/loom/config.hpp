/// \file
/// \brief Macros shared by every header: host/device annotations and the versioned namespace.
#pragma once

#include <loom/version.hpp>

#include <cstddef>

#if defined(__CUDACC__) || defined(__HIPCC__)
/// Marks a function callable from host and device code (empty outside nvcc).
#define LOOM_HD __host__ __device__
#else
/// Marks a function callable from host and device code (empty outside nvcc).
#define LOOM_HD
#endif

#if defined(__CUDACC__)
/// Forces inlining of the small evaluation functions that a fused loop nest is made of.
#define LOOM_INLINE __forceinline__
#elif defined(__GNUC__) || defined(__clang__)
/// Forces inlining of the small evaluation functions that a fused loop nest is made of.
#define LOOM_INLINE [[gnu::always_inline]] inline
#else
/// Forces inlining of the small evaluation functions that a fused loop nest is made of.
#define LOOM_INLINE inline
#endif

#if defined(__GNUC__) && !defined(__CUDACC__)
/// Inlines every call inside a hot loop function (so xsimd's math, such as exp, is not
/// called out of line once per pack with every vector register spilled).
#define LOOM_FLATTEN [[gnu::flatten]]
#else
/// Inlines every call inside a hot loop function (where the compiler supports it).
#define LOOM_FLATTEN
#endif

#if defined(__GNUC__) || defined(__clang__)
/// Keeps a function out of its callers: one copy of a hot loop, laid out on its own.
#define LOOM_NOINLINE [[gnu::noinline]]
#else
/// Keeps a function out of its callers: one copy of a hot loop, laid out on its own.
#define LOOM_NOINLINE
#endif

#if (defined(__GNUC__) || defined(__clang__)) && !defined(__CUDACC__)
/// Marks code that only builds text (explain(), descriptions): compiled for size, not speed.
#define LOOM_COLD [[gnu::cold]]
#else
/// Marks code that only builds text (explain(), descriptions): compiled for size, not speed.
#define LOOM_COLD
#endif

#if (defined(__GNUC__) || defined(__clang__)) && !defined(__CUDACC__)
/// Unrolls the next loop 4 times: one copy of its body in the source (and in the compiler's
/// early passes), the same machine code as four written-out copies.
#define LOOM_UNROLL_4 _Pragma("GCC unroll 4")
#else
/// Unrolls the next loop 4 times where the compiler takes GCC's pragma (nvcc does not).
#define LOOM_UNROLL_4
#endif

#if defined(__GNUC__) && !defined(__clang__)
/// Opens the SIMD kernels' code. GCC 12 warns (-Wmaybe-uninitialized) that AVX-512
/// intrinsics inlined there read their deliberately undefined pass-through operand.
#define LOOM_BEGIN_SIMD_CODE \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wmaybe-uninitialized\"")
/// Closes what LOOM_BEGIN_SIMD_CODE opened.
#define LOOM_END_SIMD_CODE _Pragma("GCC diagnostic pop")
#else
/// Opens the SIMD kernels' code (a GCC warning about AVX-512 intrinsics is silenced there).
#define LOOM_BEGIN_SIMD_CODE
/// Closes what LOOM_BEGIN_SIMD_CODE opened.
#define LOOM_END_SIMD_CODE
#endif

/// Opens loom's namespace; the inline `v0` makes builds against mismatched versions fail to link.
#define LOOM_BEGIN_NAMESPACE \
    namespace loom {         \
    inline namespace v0 {
/// Closes what LOOM_BEGIN_NAMESPACE opened.
#define LOOM_END_NAMESPACE \
    }                      \
    }

/// Named-dimension tensors, fused expressions and policy-chosen executors.
namespace loom {
/// Version 0 of loom's API; mismatched builds fail to link rather than misbehave.
inline namespace v0 {
/// Private helpers; nothing here is part of the API.
namespace detail {}
}  // namespace v0
}  // namespace loom

LOOM_BEGIN_NAMESPACE

/// Signed integer type of extents, indices and strides.
using index_t = std::ptrdiff_t;

/// Marks an axis whose extent is known only at run time.
inline constexpr index_t dynamic_extent = -1;

LOOM_END_NAMESPACE
