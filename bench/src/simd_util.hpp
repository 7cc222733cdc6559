// xsimd helpers for the hand loops: the native float batch, non-temporal stores, horizontal
// max and sum.
#pragma once

#include <xsimd/xsimd.hpp>
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace bench {

using fbatch = xsimd::batch<float>;               // widest batch -march allows (16 on AVX-512)
inline constexpr std::size_t W = fbatch::size;  // floats per batch

inline fbatch load(const float* p) { return fbatch::load_unaligned(p); }
inline void store(float* p, const fbatch& v) { v.store_unaligned(p); }

// A store that bypasses the caches (no read-for-ownership of the destination line) when the
// address is aligned to the batch width; an ordinary store otherwise.
// (A template, so that the branches for other widths are discarded, not checked.)
template <class B = fbatch>
inline void stream_store(float* p, const B& v) {
    constexpr std::size_t W = B::size;
    const bool aligned = (reinterpret_cast<std::uintptr_t>(p) % (W * sizeof(float))) == 0;
#if defined(__AVX512F__)
    if constexpr (W == 16) {
        if (aligned) return _mm512_stream_ps(p, v);
    }
#endif
#if defined(__AVX__)
    if constexpr (W == 8) {
        if (aligned) return _mm256_stream_ps(p, v);
    }
#endif
#if defined(__SSE__)
    if constexpr (W == 4) {
        if (aligned) return _mm_stream_ps(p, v);
    }
#endif
    (void)aligned;
    v.store_unaligned(p);
}
inline void stream_fence() { _mm_sfence(); }

inline float hmax(const fbatch& v) {
    alignas(64) float t[W];
    v.store_aligned(t);
    float m = t[0];
    for (std::size_t k = 1; k < W; ++k) m = std::max(m, t[k]);
    return m;
}
inline float hsum(const fbatch& v) { return xsimd::hadd(v); }

}  // namespace bench
