/*
 * The integer dot-product kernels, written once and compiled twice by engram_kernels.c: once for
 * AVX2 and once with AVX-512 VNNI. DOT_U8S8(acc, u, s) adds to each 32-bit lane of acc the four
 * products of unsigned bytes u and signed bytes s that share the lane; GROUP is the most tokens one
 * unpacked block of weights serves (two sums each, and AVX2 has half the registers).
 *
 * Every block's product is an exact integer; only the scaling is float, and its order per token
 * never depends on how many tokens share a call, so a token gets the same bits alone or batched.
 */

/* 4-bit weights: nibbles 0..15 times the input, plus the input's correction -8 * sum (lane 0). */
static inline __attribute__((always_inline)) void KERNEL(q4_0_block)(
        const uint8_t *row, int32_t b, int32_t blocks, const int8_t *q, const float *d, const int32_t *c,
        int32_t cols, const int n, __m256 *acc) {
    const uint8_t *block = row + (int64_t) b * 18;
    uint16_t half;
    memcpy(&half, block, 2);
    float dw = _cvtsh_ss(half);
    __m128i packed = _mm_loadu_si128((const __m128i *) (block + 2));
    __m256i u = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), _mm256_set1_epi8(0x0F));
    for (int t = 0; t < n; t++) {
        int64_t xb = (int64_t) t * blocks + b;
        __m256i x = _mm256_loadu_si256((const __m256i *) (q + (int64_t) t * cols + (int64_t) b * 32));
        __m256i dot = DOT_U8S8(_mm256_zextsi128_si256(_mm_cvtsi32_si128(c[xb])), u, x);
        acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(dw * d[xb]), acc[t]);
    }
}

/*
 * Blocks alternate between two sums per token, so consecutive blocks do not wait on each other. The
 * weights are read from memory once per step, so they are fetched ahead of use: the hardware's own
 * prefetching leaves the kernel waiting on memory at about half the bandwidth.
 */
static inline __attribute__((always_inline)) void KERNEL(q4_0_group)(
        const uint8_t *row, int32_t blocks, const int8_t *q, const float *d, const int32_t *c,
        int32_t cols, const int n, float *out, int32_t out_stride) {
    __m256 even[GROUP], odd[GROUP];
    for (int t = 0; t < n; t++) {
        even[t] = _mm256_setzero_ps();
        odd[t] = _mm256_setzero_ps();
    }
    int32_t b = 0;
    for (; b + 1 < blocks; b += 2) {
        _mm_prefetch((const char *) row + (int64_t) b * 18 + PREFETCH, _MM_HINT_T0);
        KERNEL(q4_0_block)(row, b, blocks, q, d, c, cols, n, even);
        KERNEL(q4_0_block)(row, b + 1, blocks, q, d, c, cols, n, odd);
    }
    if (b < blocks) {
        KERNEL(q4_0_block)(row, b, blocks, q, d, c, cols, n, even);
    }
    for (int t = 0; t < n; t++) {
        out[(int64_t) t * out_stride] = sum_lanes(_mm256_add_ps(even[t], odd[t]));
    }
}

/* 8-bit weights: |w| times the input with w's sign, so the first operand is unsigned. */
static inline __attribute__((always_inline)) void KERNEL(q8_0_block)(
        const uint8_t *row, int32_t b, int32_t blocks, const int8_t *q, const float *d,
        int32_t cols, const int n, __m256 *acc) {
    const uint8_t *block = row + (int64_t) b * 34;
    uint16_t half;
    memcpy(&half, block, 2);
    float dw = _cvtsh_ss(half);
    __m256i w = _mm256_loadu_si256((const __m256i *) (block + 2));
    __m256i u = _mm256_abs_epi8(w);
    for (int t = 0; t < n; t++) {
        int64_t xb = (int64_t) t * blocks + b;
        __m256i x = _mm256_loadu_si256((const __m256i *) (q + (int64_t) t * cols + (int64_t) b * 32));
        __m256i dot = DOT_U8S8(_mm256_setzero_si256(), u, _mm256_sign_epi8(x, w));
        acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(dw * d[xb]), acc[t]);
    }
}

static inline __attribute__((always_inline)) void KERNEL(q8_0_group)(
        const uint8_t *row, int32_t blocks, const int8_t *q, const float *d,
        int32_t cols, const int n, float *out, int32_t out_stride) {
    __m256 even[GROUP], odd[GROUP];
    for (int t = 0; t < n; t++) {
        even[t] = _mm256_setzero_ps();
        odd[t] = _mm256_setzero_ps();
    }
    int32_t b = 0;
    for (; b + 1 < blocks; b += 2) {
        _mm_prefetch((const char *) row + (int64_t) b * 34 + PREFETCH, _MM_HINT_T0);
        KERNEL(q8_0_block)(row, b, blocks, q, d, cols, n, even);
        KERNEL(q8_0_block)(row, b + 1, blocks, q, d, cols, n, odd);
    }
    if (b < blocks) {
        KERNEL(q8_0_block)(row, b, blocks, q, d, cols, n, even);
    }
    for (int t = 0; t < n; t++) {
        out[(int64_t) t * out_stride] = sum_lanes(_mm256_add_ps(even[t], odd[t]));
    }
}

/*
 * Rows [from, to) of a Q4_0 matrix times `tokens` quantized inputs (engram_quantize_q8):
 * y[t * y_rows + r]. Tokens go GROUP at a time, then four, then one, so each block of weights is
 * unpacked once for several tokens.
 */
void KERNEL(engram_q4_0)(const uint8_t *w, int32_t from, int32_t to, int32_t cols, const int8_t *q,
        const float *d, const int32_t *c, int32_t tokens, float *y, int32_t y_rows) {
    int32_t blocks = cols / 32;
    int64_t row_bytes = (int64_t) blocks * 18;
    for (int32_t r = from; r < to; r++) {
        const uint8_t *row = w + r * row_bytes;
        int32_t t = 0;
#define Q4_TOKENS(n)                                                                                    \
        for (; tokens - t >= (n); t += (n)) {                                                         \
            int64_t xo = (int64_t) t * blocks;                                                          \
            KERNEL(q4_0_group)(row, blocks, q + (int64_t) t * cols, d + xo, c + xo, cols, (n),        \
                    y + (int64_t) t * y_rows + r, y_rows);                                              \
        }
        Q4_TOKENS(GROUP)
        Q4_TOKENS(4)
        Q4_TOKENS(1)
#undef Q4_TOKENS
    }
}

/* Like engram_q4_0 for Q8_0 weights. */
void KERNEL(engram_q8_0)(const uint8_t *w, int32_t from, int32_t to, int32_t cols, const int8_t *q,
        const float *d, int32_t tokens, float *y, int32_t y_rows) {
    int32_t blocks = cols / 32;
    int64_t row_bytes = (int64_t) blocks * 34;
    for (int32_t r = from; r < to; r++) {
        const uint8_t *row = w + r * row_bytes;
        int32_t t = 0;
#define Q8_TOKENS(n)                                                                                    \
        for (; tokens - t >= (n); t += (n)) {                                                         \
            KERNEL(q8_0_group)(row, blocks, q + (int64_t) t * cols, d + (int64_t) t * blocks, cols,   \
                    (n), y + (int64_t) t * y_rows + r, y_rows);                                         \
        }
        Q8_TOKENS(GROUP)
        Q8_TOKENS(4)
        Q8_TOKENS(1)
#undef Q8_TOKENS
    }
}
