/// \file
/// \brief The one place that names xsimd: SIMD packs of loom's element types, and the loads,
/// stores and horizontal folds the SIMD evaluator needs.
#pragma once

#include <loom/config.hpp>

#include <xsimd/xsimd.hpp>

#include <cstddef>
#include <type_traits>

LOOM_BEGIN_NAMESPACE
namespace detail::simd {

// Packs hold as many lanes as a batch of the lane type L (the destination's element type);
// a value type U is packable when a batch of U has that many lanes too (or U is bool: a mask).
template <class L>
inline constexpr std::size_t width = xsimd::batch<L>::size;

template <class U, class L, class = void>
struct pack_for {
    using type = void;
};
template <class U, class L>
struct pack_for<U, L,
                std::enable_if_t<std::is_arithmetic_v<U> && !std::is_same_v<U, bool> &&
                                 std::is_arithmetic_v<L> && !std::is_same_v<L, bool> &&
                                 sizeof(U) == sizeof(L) && (sizeof(U) == 4 || sizeof(U) == 8)>> {
    using type = xsimd::batch<U>;
};
template <class L>
struct pack_for<bool, L,
                std::enable_if_t<std::is_arithmetic_v<L> && !std::is_same_v<L, bool> &&
                                 (sizeof(L) == 4 || sizeof(L) == 8)>> {
    using type = xsimd::batch_bool<L>;
};

template <class U, class L>
using pack_t = typename pack_for<U, L>::type;

template <class U, class L>
inline constexpr bool packable = !std::is_void_v<pack_t<U, L>>;

template <class U, class L>
LOOM_INLINE pack_t<U, L> load(const U* p) {
    return pack_t<U, L>::load_unaligned(p);
}

template <class U, class L>
inline pack_t<U, L> load_strided(const U* p, index_t stride) {
    alignas(64) U tmp[width<L>];
    for (std::size_t i = 0; i < width<L>; ++i) tmp[i] = p[index_t(i) * stride];
    return pack_t<U, L>::load_unaligned(tmp);
}

template <class U, class L>
LOOM_INLINE pack_t<U, L> broadcast(U v) {
    return pack_t<U, L>(v);
}

// Builds a pack lane by lane: f(i) gives lane i.
template <class U, class L, class F>
inline pack_t<U, L> from_lanes(F&& f) {
    alignas(64) U tmp[width<L>];
    for (std::size_t i = 0; i < width<L>; ++i) tmp[i] = f(index_t(i));
    return pack_t<U, L>::load_unaligned(tmp);
}

template <class U, class P>
LOOM_INLINE void store(U* p, const P& v) {
    v.store_unaligned(p);
}

#if defined(__SSE2__)
#if defined(__AVX512F__)
LOOM_INLINE void stream_register(float* p, __m512 r) { _mm512_stream_ps(p, r); }
LOOM_INLINE void stream_register(double* p, __m512d r) { _mm512_stream_pd(p, r); }
#endif
#if defined(__AVX__)
LOOM_INLINE void stream_register(float* p, __m256 r) { _mm256_stream_ps(p, r); }
LOOM_INLINE void stream_register(double* p, __m256d r) { _mm256_stream_pd(p, r); }
#endif
LOOM_INLINE void stream_register(float* p, __m128 r) { _mm_stream_ps(p, r); }
LOOM_INLINE void stream_register(double* p, __m128d r) { _mm_stream_pd(p, r); }
#endif

// A store that bypasses the cache (for destinations far larger than it); `p` must be aligned
// to the pack's size. Plain aligned stores for other types and instruction sets.
template <class U, class P>
LOOM_INLINE void store_stream(U* p, const P& v) {
#if defined(__SSE2__)
    if constexpr (std::is_same_v<U, float> || std::is_same_v<U, double>) {
        stream_register(p, v.data);
        return;
    }
#endif
    v.store_aligned(p);
}

// Orders streaming stores before later loads and stores (x86 needs a fence after them).
inline void stream_fence() {
#if defined(__SSE2__)
    _mm_sfence();
#endif
}

template <class U, class P>
inline void store_strided(U* p, index_t stride, const P& v) {
    alignas(64) U tmp[P::size];
    v.store_unaligned(tmp);
    for (std::size_t i = 0; i < P::size; ++i) p[index_t(i) * stride] = tmp[i];
}

}  // namespace detail::simd
LOOM_END_NAMESPACE
