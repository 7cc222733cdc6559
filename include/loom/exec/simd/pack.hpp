/// \file
/// \brief The one place that names xsimd: SIMD packs of loom's element types, and the loads,
/// stores and horizontal folds the SIMD evaluator needs.
#pragma once

#include <loom/config.hpp>

#include <xsimd/xsimd.hpp>

#include <cstddef>
#include <cstdint>
#include <type_traits>

LOOM_BEGIN_SIMD_CODE
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

#if defined(__AVX2__)
// The lanes p[0], p[s], ..., p[(n - 1) s] of 4-byte elements in a float register, with the
// hardware gather (the masked form with a zero source: GCC warns that the plain form's
// undefined source "may be used uninitialized") (or, for s = 2, two loads and a permute); false where the offsets need
// more than 32 bits. The second load of s = 2 is masked, so nothing past the last lane is
// read (a masked-off lane cannot fault).
#if defined(__AVX512F__)
using gathered4 = __m512;
#else
using gathered4 = __m256;
#endif
inline bool gather4(const void* src, index_t stride, gathered4& out) {
    const float* p = static_cast<const float*>(src);
#if defined(__AVX512F__)
    if (stride == 2) {
        const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24,
                                               26, 28, 30);
        out = _mm512_permutex2var_ps(_mm512_loadu_ps(p), even, _mm512_maskz_loadu_ps(0x7fff, p + 16));
        return true;
    }
    if (stride > INT32_MAX / 16 || stride < INT32_MIN / 16) return false;
    const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    out = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), __mmask16(0xffff),
                                   _mm512_mullo_epi32(lanes, _mm512_set1_epi32(int(stride))), p, 4);
#else
    if (stride == 2) {
        const __m256 a = _mm256_loadu_ps(p);
        const __m256 b = _mm256_maskload_ps(p + 8, _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, -1, 0));
        const __m256 mixed = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));  // p0 p2 p8 p10 | p4 ..
        out = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(mixed), _MM_SHUFFLE(3, 1, 2, 0)));
        return true;
    }
    if (stride > INT32_MAX / 8 || stride < INT32_MIN / 8) return false;
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    out = _mm256_mask_i32gather_ps(_mm256_setzero_ps(), p,
                                   _mm256_mullo_epi32(lanes, _mm256_set1_epi32(int(stride))),
                                   _mm256_castsi256_ps(_mm256_set1_epi32(-1)), 4);
#endif
    return true;
}

// The same for 8-byte elements in a double register (gathers only).
#if defined(__AVX512F__)
using gathered8 = __m512d;
#else
using gathered8 = __m256d;
#endif
inline bool gather8(const void* src, index_t stride, gathered8& out) {
    const double* p = static_cast<const double*>(src);
    if (stride > INT32_MAX / 8 || stride < INT32_MIN / 8) return false;
    const int s = int(stride);
#if defined(__AVX512F__)
    out = _mm512_mask_i32gather_pd(_mm512_setzero_pd(), __mmask8(0xff),
                                   _mm256_setr_epi32(0, s, 2 * s, 3 * s, 4 * s, 5 * s, 6 * s, 7 * s),
                                   p, 8);
#else
    out = _mm256_mask_i32gather_pd(_mm256_setzero_pd(), p, _mm_setr_epi32(0, s, 2 * s, 3 * s),
                                   _mm256_castsi256_pd(_mm256_set1_epi64x(-1)), 8);
#endif
    return true;
}
#endif

// Lanes p[0], p[stride], ...: a gather where the instruction set has one (AVX2, AVX-512),
// else element by element.
template <class U, class L>
inline pack_t<U, L> load_strided(const U* p, index_t stride) {
#if defined(__AVX2__)
    if constexpr (sizeof(U) == 4 && !std::is_same_v<U, bool> &&
                  sizeof(pack_t<U, L>) == sizeof(gathered4)) {
        gathered4 r;
        if (gather4(p, stride, r)) {
            if constexpr (std::is_same_v<U, float>) {
                return pack_t<U, L>(r);
            } else {
#if defined(__AVX512F__)
                return pack_t<U, L>(_mm512_castps_si512(r));
#else
                return pack_t<U, L>(_mm256_castps_si256(r));
#endif
            }
        }
    }
    if constexpr (sizeof(U) == 8 && sizeof(pack_t<U, L>) == sizeof(gathered8)) {
        gathered8 r;
        if (gather8(p, stride, r)) {
            if constexpr (std::is_same_v<U, double>) {
                return pack_t<U, L>(r);
            } else {
#if defined(__AVX512F__)
                return pack_t<U, L>(_mm512_castpd_si512(r));
#else
                return pack_t<U, L>(_mm256_castpd_si256(r));
#endif
            }
        }
    }
#endif
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

// f(v, v with lane i moved to lane i ^ H): each lane combined with its partner H lanes away.
template <std::size_t H, class P, class F, std::size_t... L>
LOOM_INLINE P fold_step(const P& v, const F& f, std::index_sequence<L...>) {
    using T = typename P::value_type;
    using M = xsimd::batch<std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>,
                           typename P::arch_type>;
    return f(v, xsimd::swizzle(v, xsimd::batch_constant<M, typename M::value_type(L ^ H)...>{}));
}
template <std::size_t H, class P, class F>
LOOM_INLINE typename P::value_type fold_from(const P& v, const F& f) {
    if constexpr (H == 0) return v.get(0);
    else return fold_from<H / 2>(fold_step<H>(v, f, std::make_index_sequence<P::size>{}), f);
}

// `f` over the lanes of a float or double pack, for an `f` that is commutative and
// associative (as the lane reducers' steps are): lane i is combined with lane i ^ h for
// h = width/2, ..., 1, so log2(width) pack steps replace one dependent scalar step per lane.
template <class P, class F>
LOOM_INLINE typename P::value_type fold_lanes(const P& v, const F& f) {
    static_assert(std::is_floating_point_v<typename P::value_type>,
                  "loom: fold_lanes takes float and double packs");
    return fold_from<P::size / 2>(v, f);
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

// GCC 12's AVX-512 intrinsics pass an "undefined" register to their masked builtins, which
// -Wmaybe-uninitialized reports in the caller (GCC bug 105593); the registers here are
// all defined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#if defined(__SSE2__)
// Transposes the 4x4 (SSE), 8x8 (AVX) or 16x16 (AVX-512) block of 4-byte lanes at `src`
// (rows `ss` apart) into `dst` (rows `ds` apart) in registers. The intrinsics' loads and
// stores may alias any type, so int32 lanes go through the same code.
LOOM_INLINE void transpose_registers(const float* src, index_t ss, float* dst, index_t ds) {
#if defined(__AVX512F__)
    __m512 r[16], t[16];
    for (int k = 0; k < 16; ++k) r[k] = _mm512_loadu_ps(src + k * ss);
    for (int k = 0; k < 8; ++k) {
        t[2 * k] = _mm512_unpacklo_ps(r[2 * k], r[2 * k + 1]);
        t[2 * k + 1] = _mm512_unpackhi_ps(r[2 * k], r[2 * k + 1]);
    }
    for (int k = 0; k < 4; ++k) {
        r[4 * k + 0] = _mm512_shuffle_ps(t[4 * k + 0], t[4 * k + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * k + 1] = _mm512_shuffle_ps(t[4 * k + 0], t[4 * k + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[4 * k + 2] = _mm512_shuffle_ps(t[4 * k + 1], t[4 * k + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * k + 3] = _mm512_shuffle_ps(t[4 * k + 1], t[4 * k + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int k = 0; k < 2; ++k)
        for (int m = 0; m < 4; ++m) {  // 128-bit lanes: rows 0-3 with 4-7, then 8-11 with 12-15
            t[8 * k + m] = _mm512_shuffle_f32x4(r[8 * k + m], r[8 * k + 4 + m], 0x88);
            t[8 * k + 4 + m] = _mm512_shuffle_f32x4(r[8 * k + m], r[8 * k + 4 + m], 0xdd);
        }
    for (int m = 0; m < 8; ++m) {
        r[m] = _mm512_shuffle_f32x4(t[m], t[8 + m], 0x88);
        r[8 + m] = _mm512_shuffle_f32x4(t[m], t[8 + m], 0xdd);
    }
    for (int k = 0; k < 16; ++k) _mm512_storeu_ps(dst + k * ds, r[k]);
#elif defined(__AVX__)
    __m256 r[8], t[8];
    for (int k = 0; k < 8; ++k) r[k] = _mm256_loadu_ps(src + k * ss);
    for (int k = 0; k < 4; ++k) {
        t[2 * k] = _mm256_unpacklo_ps(r[2 * k], r[2 * k + 1]);
        t[2 * k + 1] = _mm256_unpackhi_ps(r[2 * k], r[2 * k + 1]);
    }
    for (int k = 0; k < 2; ++k) {
        r[4 * k + 0] = _mm256_shuffle_ps(t[4 * k + 0], t[4 * k + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * k + 1] = _mm256_shuffle_ps(t[4 * k + 0], t[4 * k + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[4 * k + 2] = _mm256_shuffle_ps(t[4 * k + 1], t[4 * k + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * k + 3] = _mm256_shuffle_ps(t[4 * k + 1], t[4 * k + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int m = 0; m < 4; ++m) {
        _mm256_storeu_ps(dst + m * ds, _mm256_permute2f128_ps(r[m], r[4 + m], 0x20));
        _mm256_storeu_ps(dst + (4 + m) * ds, _mm256_permute2f128_ps(r[m], r[4 + m], 0x31));
    }
#else
    __m128 r0 = _mm_loadu_ps(src), r1 = _mm_loadu_ps(src + ss), r2 = _mm_loadu_ps(src + 2 * ss),
           r3 = _mm_loadu_ps(src + 3 * ss);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(dst, r0), _mm_storeu_ps(dst + ds, r1), _mm_storeu_ps(dst + 2 * ds, r2),
        _mm_storeu_ps(dst + 3 * ds, r3);
#endif
}
#endif

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// Transposes a square block of width<U> x width<U> elements: dst[k * ds + i] = src[i * ss + k].
template <class U>
LOOM_INLINE void transpose_block(const U* src, index_t ss, U* dst, index_t ds) {
#if defined(__SSE2__)
    if constexpr (sizeof(U) == 4 && std::is_arithmetic_v<U> &&
                  width<U> * sizeof(U) == sizeof(xsimd::batch<float>)) {
        transpose_registers(reinterpret_cast<const float*>(src), ss, reinterpret_cast<float*>(dst),
                            ds);
        return;
    }
#endif
    constexpr index_t W = index_t(width<U>);
    for (index_t k = 0; k < W; ++k)
        for (index_t i = 0; i < W; ++i) dst[k * ds + i] = src[i * ss + k];
}

// Writes `nv` rows of `nu` elements of a buffer (rows `span` apart) transposed: element (k, u)
// to dst[u * ds + k], in width x width blocks transposed in registers. Not inlined: one copy
// per element type serves every transposing assignment.
template <class U>
LOOM_NOINLINE void store_transposed(const U* buf, index_t span, index_t nu, index_t nv, U* dst,
                                   index_t ds) {
    constexpr index_t W = index_t(width<U>);
    index_t u = 0;
    if (nv == W)
        for (; u + W <= nu; u += W) transpose_block(buf + u, span, dst + u * ds, ds);
    for (; u < nu; ++u)
        for (index_t k = 0; k < nv; ++k) dst[u * ds + k] = buf[k * span + u];
}

template <class U, class P>
inline void store_strided(U* p, index_t stride, const P& v) {
    alignas(64) U tmp[P::size];
    v.store_unaligned(tmp);
    for (std::size_t i = 0; i < P::size; ++i) p[index_t(i) * stride] = tmp[i];
}

}  // namespace detail::simd
LOOM_END_NAMESPACE
LOOM_END_SIMD_CODE
