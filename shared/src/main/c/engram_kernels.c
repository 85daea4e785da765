/*
 * Engram's native kernels: quantized weights (GGML's Q4_0 and Q8_0 blocks) times inputs quantized
 * to 8 bits, with integer dot-product instructions. The Vector API has no such instruction, and a
 * block done in floats costs several times the operations, which makes decode compute-bound.
 *
 * The engine loads this library through the FFM API (Int8Kernels.java) and picks the best variant
 * the processor runs; without it, the Vector API kernels serve.
 */
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* How far ahead of use the weights are fetched, in bytes. */
#define PREFETCH 4096

#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c")

/* Bit 0: AVX2 with FMA and F16C; bit 1: AVX-512 VNNI on 256-bit registers too. */
int32_t engram_features(void) {
    __builtin_cpu_init();
    int32_t features = 0;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
        features |= 1;
        if (__builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni")) {
            features |= 2;
        }
    }
    return features;
}

/* Lanes added in a fixed order. */
static inline __attribute__((always_inline)) float sum_lanes(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/*
 * Quantizes `tokens` rows of `cols` floats in blocks of 32: q = round(x / d) with d = max|x| / 127,
 * and c = -8 * the block's sum of q, which the Q4_0 kernel adds to turn its unsigned nibbles into
 * GGML's signed values.
 */
void engram_quantize_q8(const float *x, int32_t tokens, int32_t cols, int8_t *q, float *d, int32_t *c) {
    int64_t blocks = (int64_t) tokens * (cols / 32);
    for (int64_t b = 0; b < blocks; b++) {
        const float *in = x + b * 32;
        float amax = 0;
        for (int i = 0; i < 32; i++) {
            amax = fmaxf(amax, fabsf(in[i]));
        }
        float inverse = amax > 0 ? 127.0f / amax : 0;
        int32_t sum = 0;
        for (int i = 0; i < 32; i++) {
            int32_t v = (int32_t) nearbyintf(in[i] * inverse);
            q[b * 32 + i] = (int8_t) v;
            sum += v;
        }
        d[b] = amax / 127.0f;
        c[b] = -8 * sum;
    }
}

#define KERNEL(name) name##_avx2
#define GROUP 4
#define DOT_U8S8(acc, u, s) \
    _mm256_add_epi32((acc), _mm256_madd_epi16(_mm256_maddubs_epi16((u), (s)), _mm256_set1_epi16(1)))
#include "int8_dot.h"
#undef KERNEL
#undef GROUP
#undef DOT_U8S8
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,avx512f,avx512vl,avx512vnni")
#define KERNEL(name) name##_vnni
#define GROUP 8
#define DOT_U8S8(acc, u, s) _mm256_dpbusd_epi32((acc), (u), (s))
#include "int8_dot.h"
#undef KERNEL
#undef GROUP
#undef DOT_U8S8
#pragma GCC pop_options
