/*
 * Engram's native kernels: quantized weights (GGML's Q4_0 and Q8_0 blocks) times inputs quantized
 * to 8 bits, with integer dot-product instructions. The Vector API has no such instruction, and a
 * block done in floats costs several times the operations, which makes decode compute-bound. One
 * float kernel as well: F32 rows for decoding (f32_dot.h), which streams the weights faster than the
 * Vector API's loop.
 *
 * The engine loads this library through the FFM API (NativeKernels.java) and picks the best variant
 * the processor runs; without it, the Vector API kernels serve.
 */
#include <cpuid.h>
#include <immintrin.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * How far ahead of use each row's weights are fetched, in bytes. The weights are read from memory once
 * per step; left to the hardware's own prefetching, the kernels wait on memory at about half the
 * bandwidth.
 */
#define PREFETCH 256

#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c")

/*
 * Whether the processor has AMX tiles with int8 products and Linux lets this process use them: tile
 * data is too large for the default signal frame, so a process asks for it once (arch_prctl).
 */
static int amx_usable(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(d & (1u << 24)) || !(d & (1u << 25))) {
        return 0; /* tiles and int8 products */
    }
    const long request_permission = 0x1023; /* ARCH_REQ_XCOMP_PERM */
    const long tile_data = 18;              /* XFEATURE_XTILEDATA */
    return syscall(SYS_arch_prctl, request_permission, tile_data) == 0;
}

/*
 * Bit 0: AVX2 with FMA and F16C; bit 1: AVX-512 (F, BW, VL) with VNNI as well; bit 2: AMX tiles
 * with int8 products as well.
 */
int32_t engram_features(void) {
    __builtin_cpu_init();
    int32_t features = 0;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
        features |= 1;
        if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
                && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni")) {
            features |= 2;
            if (amx_usable()) {
                features |= 4;
            }
        }
    }
    return features;
}

/*
 * Quantizes `tokens` rows of `cols` floats in blocks of 32: q = round(x / d) with d = max|x| / 127,
 * and c = -8 * the block's sum of q, which the Q4_0 kernel adds to turn its unsigned nibbles into
 * GGML's signed values.
 */
void engram_quantize_q8(const float *x, int32_t tokens, int32_t cols, int8_t *q, float *d, int32_t *c) {
    const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    int64_t blocks = (int64_t) tokens * (cols / 32);
    for (int64_t b = 0; b < blocks; b++) {
        const float *in = x + b * 32;
        __m256 v[4];
        __m256 amax = _mm256_setzero_ps();
        for (int i = 0; i < 4; i++) {
            v[i] = _mm256_loadu_ps(in + 8 * i);
            amax = _mm256_max_ps(amax, _mm256_and_ps(v[i], magnitude));
        }
        __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        m = _mm_max_ss(m, _mm_movehdup_ps(m));
        float max = _mm_cvtss_f32(m);
        __m256 inverse = _mm256_set1_ps(max > 0 ? 127.0f / max : 0);
        __m256i n[4];
        __m256i sum = _mm256_setzero_si256();
        for (int i = 0; i < 4; i++) {
            /* Rounded to nearest, ties to even, then converted exactly. */
            n[i] = _mm256_cvtps_epi32(
                    _mm256_round_ps(_mm256_mul_ps(v[i], inverse), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
            sum = _mm256_add_epi32(sum, n[i]);
        }
        /* Packing works within 128-bit halves; the permutation puts the 32 bytes back in order. */
        __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(n[0], n[1]), _mm256_packs_epi32(n[2], n[3]));
        bytes = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *) (q + b * 32), bytes);
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(sum), _mm256_extracti128_si256(sum, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
        d[b] = max / 127.0f;
        c[b] = -8 * _mm_cvtsi128_si32(s);
    }
}

#define KERNEL(name) name##_avx2
#define GROUP 4
#define WIDE 0
#define DOT_U8S8(acc, u, s) \
    _mm256_add_epi32((acc), _mm256_madd_epi16(_mm256_maddubs_epi16((u), (s)), _mm256_set1_epi16(1)))
#include "int8_dot.h"

void engram_q4_0_avx2(const uint8_t *w, int32_t from, int32_t to, int32_t cols, const int8_t *q, const float *d,
        const int32_t *c, int32_t tokens, float *y, int32_t y_rows) {
    rows_avx2(1, w, from, to, cols, q, d, c, tokens, y, y_rows);
}

void engram_q8_0_avx2(const uint8_t *w, int32_t from, int32_t to, int32_t cols, const int8_t *q, const float *d,
        int32_t tokens, float *y, int32_t y_rows) {
    rows_avx2(0, w, from, to, cols, q, d, NULL, tokens, y, y_rows);
}

#define VEC __m256
#define VZERO _mm256_setzero_ps()
#define VLOAD(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps((p), (v))
#define VFMA(a, b, c) _mm256_fmadd_ps((a), (b), (c))
#define LANES 8
#include "f32_dot.h"

/* F32 rows for a JVM with 256-bit vectors (f32_dot.h). */
void engram_f32_avx2(const float *w, int32_t from, int32_t to, int32_t cols, const float *x, int32_t tokens, float *y,
        int32_t y_rows) {
    f32_rows_avx2(w, from, to, cols, x, tokens, y, y_rows);
}
#undef KERNEL
#undef GROUP
#undef WIDE
#undef DOT_U8S8
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx2,fma,f16c,avx512f,avx512vl,avx512bw,avx512vnni,amx-tile,amx-int8")
#define KERNEL(name) name##_vnni
#define GROUP 8
#define WIDE 1
#define DOT_U8S8(acc, u, s) _mm256_dpbusd_epi32((acc), (u), (s))
#include "int8_dot.h"
#include "int8_panel.h"
#include "int8_amx.h"

void engram_q4_0_vnni(const uint8_t *w, int32_t from, int32_t to, int32_t cols, const int8_t *q, const float *d,
        const int32_t *c, int32_t tokens, float *y, int32_t y_rows) {
    rows_vnni(1, w, from, to, cols, q, d, c, tokens, y, y_rows);
}

/* Rearranges groups [first, last) of sixteen rows of a Q4_0 matrix into panels (int8_panel.h). */
void engram_q4_0_pack(const uint8_t *w, int32_t rows, int32_t cols, int32_t first, int32_t last, uint8_t *p) {
    pack_panels(w, rows, cols, first, last, p, 0);
}

/* Like engram_q4_0_vnni, for a matrix in panels: any number of tokens, the same result to the bit. */
void engram_q4_0_panels_vnni(const uint8_t *p, int32_t from, int32_t to, int32_t cols, const int8_t *q,
        const float *d, const int32_t *c, int32_t tokens, float *y, int32_t y_rows) {
    panels(p, from, to, cols, q, d, c, tokens, y, y_rows, 0);
}

/* Rearranges groups [first, last) of sixteen rows of a Q8_0 matrix into panels (int8_panel.h). */
void engram_q8_0_pack(const uint8_t *w, int32_t rows, int32_t cols, int32_t first, int32_t last, uint8_t *p) {
    pack_panels(w, rows, cols, first, last, p, 1);
}

/* Like engram_q8_0_vnni, for a matrix in panels; c is the inputs' -8 · Σq as for Q4_0. The same result to the bit. */
void engram_q8_0_panels_vnni(const uint8_t *p, int32_t from, int32_t to, int32_t cols, const int8_t *q,
        const float *d, const int32_t *c, int32_t tokens, float *y, int32_t y_rows) {
    panels(p, from, to, cols, q, d, c, tokens, y, y_rows, 1);
}

/* Lays out quantized inputs for engram_q4_0_panels_amx: ceil(tokens / 16) * 16 * cols bytes. */
void engram_tile_q8(const int8_t *q, int32_t tokens, int32_t cols, int8_t *tiles) {
    q8_tiles(q, tokens, cols, tiles);
}

/*
 * Like engram_q4_0_panels_vnni, with the integer products of whole tiles of tokens on AMX (the same
 * result to the bit), reading the inputs from `tiles` (engram_tile_q8). A tile pays for all sixteen
 * of its rows, so fewer than AMX_MIN_TOKENS tokens in all stay with VNNI, as does everything without
 * tiles. A last tile of fewer tokens than that still goes to the tile unit with the others: it costs
 * less than a second pass over the weights. Only for a process engram_features gave bit 2.
 */
void engram_q4_0_panels_amx(const uint8_t *p, int32_t from, int32_t to, int32_t cols, const int8_t *q,
        const float *d, const int32_t *c, int32_t tokens, float *y, int32_t y_rows, const int8_t *tiles) {
    if (tiles != NULL && tokens >= AMX_MIN_TOKENS) {
        q4_0_panels_amx(p, from, to, cols, tiles, d, tokens, y, y_rows);
    } else {
        panels(p, from, to, cols, q, d, c, tokens, y, y_rows, 0);
    }
}

void engram_q8_0_vnni(const uint8_t *w, int32_t from, int32_t to, int32_t cols, const int8_t *q, const float *d,
        int32_t tokens, float *y, int32_t y_rows) {
    rows_vnni(0, w, from, to, cols, q, d, NULL, tokens, y, y_rows);
}

#define VEC __m512
#define VZERO _mm512_setzero_ps()
#define VLOAD(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_storeu_ps((p), (v))
#define VFMA(a, b, c) _mm512_fmadd_ps((a), (b), (c))
#define LANES 16
#include "f32_dot.h"

/* F32 rows for a JVM with 512-bit vectors (f32_dot.h). */
void engram_f32_vnni(const float *w, int32_t from, int32_t to, int32_t cols, const float *x, int32_t tokens, float *y,
        int32_t y_rows) {
    f32_rows_vnni(w, from, to, cols, x, tokens, y, y_rows);
}
#undef KERNEL
#undef GROUP
#undef WIDE
#undef DOT_U8S8
#pragma GCC pop_options
