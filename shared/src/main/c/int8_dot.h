/*
 * The row kernels (Q8_0 weights, and Q4_0 weights not in panels), written once and compiled twice by
 * engram_kernels.c: for AVX2 and for AVX-512 VNNI. DOT_U8S8(acc, u, s) adds to each 32-bit lane of acc the four products of unsigned
 * bytes u and signed bytes s that share the lane; GROUP is the most tokens one pass over a block
 * serves (AVX2 has half the registers); WIDE puts two rows in each 512-bit register.
 *
 * Every kernel here, in int8_panel.h and in int8_amx.h computes a product the same way, to the bit: for each block,
 * the exact integer sum of the weights times the quantized inputs, then, block after block,
 * acc = fma(float(sum), weight scale * input scale, acc). Integer sums do not depend on the order of
 * their terms, so the kernels can gather them differently (lanes of one row here, a lane per row in
 * the panel kernel) and the engine may pick a kernel by the weights' layout or the number of tokens
 * without changing any token's result.
 */

/* Lane k of the result is the sum of the lanes of v[k]. */
static inline __attribute__((always_inline)) __m256i KERNEL(sum8)(const __m256i *v) {
    __m256i s01 = _mm256_add_epi32(_mm256_unpacklo_epi32(v[0], v[1]), _mm256_unpackhi_epi32(v[0], v[1]));
    __m256i s23 = _mm256_add_epi32(_mm256_unpacklo_epi32(v[2], v[3]), _mm256_unpackhi_epi32(v[2], v[3]));
    __m256i s45 = _mm256_add_epi32(_mm256_unpacklo_epi32(v[4], v[5]), _mm256_unpackhi_epi32(v[4], v[5]));
    __m256i s67 = _mm256_add_epi32(_mm256_unpacklo_epi32(v[6], v[7]), _mm256_unpackhi_epi32(v[6], v[7]));
    __m256i s0123 = _mm256_add_epi32(_mm256_unpacklo_epi64(s01, s23), _mm256_unpackhi_epi64(s01, s23));
    __m256i s4567 = _mm256_add_epi32(_mm256_unpacklo_epi64(s45, s67), _mm256_unpackhi_epi64(s45, s67));
    return _mm256_add_epi32(
            _mm256_permute2x128_si256(s0123, s4567, 0x20), _mm256_permute2x128_si256(s0123, s4567, 0x31));
}

/* The sum of the lanes of v. */
static inline __attribute__((always_inline)) int32_t KERNEL(sum1)(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(s);
}

/* The fp16 scales at `block` of eight rows `row_bytes` apart, as floats. */
static inline __attribute__((always_inline)) __m256 KERNEL(scales8)(const uint8_t *block, int64_t row_bytes) {
    const __m256i rows = _mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32((int32_t) row_bytes));
    __m256i heads = _mm256_i32gather_epi32((const int *) block, rows, 1);
    /* The low half of each lane, packed into the low 128 bits. */
    const __m256i low_halves = _mm256_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1,
            0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1);
    __m256i packed = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(heads, low_halves), _MM_SHUFFLE(3, 1, 2, 0));
    return _mm256_cvtph_ps(_mm256_castsi256_si128(packed));
}

static inline __attribute__((always_inline)) float KERNEL(scale1)(const uint8_t *block) {
    uint16_t half;
    memcpy(&half, block, 2);
    return _cvtsh_ss(half);
}

/* A Q4_0 block as 32 unsigned values 0..15, in the order of the inputs. */
static inline __attribute__((always_inline)) __m256i KERNEL(q4_0_unpack)(const uint8_t *block) {
    __m128i packed = _mm_loadu_si128((const __m128i *) (block + 2));
    return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(packed, 4), packed), _mm256_set1_epi8(0x0F));
}

#if WIDE
/* Eight rows' blocks, two rows to a register: rows k and k + 4 in the halves of w[k]. */
typedef struct {
    __m512i w[4];
} KERNEL(eight);

static inline __attribute__((always_inline)) KERNEL(eight) KERNEL(load8)(const int q4, const uint8_t *block,
        int64_t row_bytes) {
    KERNEL(eight) e;
    for (int k = 0; k < 4; k++) {
        const uint8_t *low = block + k * row_bytes;
        const uint8_t *high = block + (k + 4) * row_bytes;
        if (q4) {
            /* Each row's 16 bytes twice, the second copy shifted: low nibbles, then high nibbles. */
            __m512i packed = _mm512_inserti64x4(
                    _mm512_castsi256_si512(_mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *) (low + 2)))),
                    _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *) (high + 2))), 1);
            e.w[k] = _mm512_and_si512(_mm512_srlv_epi64(packed, _mm512_setr_epi64(0, 0, 4, 4, 0, 0, 4, 4)),
                    _mm512_set1_epi8(0x0F));
        } else {
            e.w[k] = _mm512_inserti64x4(
                    _mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *) (low + 2))),
                    _mm256_loadu_si256((const __m256i *) (high + 2)), 1);
        }
    }
    return e;
}

/* The eight rows' integer sums with one block of inputs, row k in lane k. */
static inline __attribute__((always_inline)) __m256i KERNEL(sums8)(const int q4, const KERNEL(eight) *e,
        const int8_t *in) {
    __m512i x = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *) in));
    __m512i dots[4];
    for (int k = 0; k < 4; k++) {
        if (q4) {
            dots[k] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), e->w[k], x);
        } else {
            __m512i signed_x = _mm512_mask_sub_epi8(x, _mm512_movepi8_mask(e->w[k]), _mm512_setzero_si512(), x);
            dots[k] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_abs_epi8(e->w[k]), signed_x);
        }
    }
    __m512i s01 = _mm512_add_epi32(_mm512_unpacklo_epi32(dots[0], dots[1]), _mm512_unpackhi_epi32(dots[0], dots[1]));
    __m512i s23 = _mm512_add_epi32(_mm512_unpacklo_epi32(dots[2], dots[3]), _mm512_unpackhi_epi32(dots[2], dots[3]));
    /* 128-bit lane j holds partial sums of rows 0-3 (j = 0, 1) or rows 4-7 (j = 2, 3). */
    __m512i s = _mm512_add_epi32(_mm512_unpacklo_epi64(s01, s23), _mm512_unpackhi_epi64(s01, s23));
    s = _mm512_add_epi32(s, _mm512_shuffle_i64x2(s, s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm512_castsi512_si256(_mm512_shuffle_i64x2(s, s, _MM_SHUFFLE(2, 0, 2, 0)));
}
#else
/* Eight rows' blocks, a row to a register. */
typedef struct {
    __m256i w[8];
} KERNEL(eight);

static inline __attribute__((always_inline)) KERNEL(eight) KERNEL(load8)(const int q4, const uint8_t *block,
        int64_t row_bytes) {
    KERNEL(eight) e;
    for (int k = 0; k < 8; k++) {
        e.w[k] = q4 ? KERNEL(q4_0_unpack)(block + k * row_bytes)
                    : _mm256_loadu_si256((const __m256i *) (block + k * row_bytes + 2));
    }
    return e;
}

/* The eight rows' integer sums with one block of inputs, row k in lane k. */
static inline __attribute__((always_inline)) __m256i KERNEL(sums8)(const int q4, const KERNEL(eight) *e,
        const int8_t *in) {
    __m256i x = _mm256_loadu_si256((const __m256i *) in);
    __m256i dots[8];
    for (int k = 0; k < 8; k++) {
        dots[k] = q4 ? DOT_U8S8(_mm256_setzero_si256(), e->w[k], x)
                     : DOT_U8S8(_mm256_setzero_si256(), _mm256_abs_epi8(e->w[k]), _mm256_sign_epi8(x, e->w[k]));
    }
    return KERNEL(sum8)(dots);
}
#endif

/*
 * Eight rows from `row` times n tokens: y[t * y_rows + k] for row k. Q4_0 multiplies the unsigned
 * nibbles and adds the input's correction c = -8 * sum(q); Q8_0 multiplies |w| by the input with w's
 * sign, so the first operand is unsigned.
 */
static inline __attribute__((always_inline)) void KERNEL(rows8)(const int q4, const uint8_t *row,
        int64_t row_bytes, int32_t blocks, const int8_t *q, const float *d, const int32_t *c, int32_t cols,
        const int n, float *y, int32_t y_rows) {
    const int64_t block_bytes = q4 ? 18 : 34;
    __m256 acc[GROUP];
    for (int t = 0; t < n; t++) {
        acc[t] = _mm256_setzero_ps();
    }
    for (int32_t b = 0; b < blocks; b++) {
        const uint8_t *block = row + b * block_bytes;
        if ((b & 1) == 0) {
            for (int k = 0; k < 8; k++) {
                _mm_prefetch((const char *) block + k * row_bytes + PREFETCH, _MM_HINT_T0);
            }
        }
        KERNEL(eight) rows = KERNEL(load8)(q4, block, row_bytes);
        __m256 dw = KERNEL(scales8)(block, row_bytes);
        for (int t = 0; t < n; t++) {
            int64_t xb = (int64_t) t * blocks + b;
            __m256i sums = KERNEL(sums8)(q4, &rows, q + (int64_t) t * cols + b * 32);
            if (q4) {
                sums = _mm256_add_epi32(sums, _mm256_set1_epi32(c[xb]));
            }
            __m256 scale = _mm256_mul_ps(dw, _mm256_set1_ps(d[xb]));
            acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), scale, acc[t]);
        }
    }
    for (int t = 0; t < n; t++) {
        _mm256_storeu_ps(y + (int64_t) t * y_rows, acc[t]);
    }
}

/* One row, for the rows left over by eight at a time: the same arithmetic, lane by lane. */
static inline __attribute__((always_inline)) void KERNEL(rows1)(const int q4, const uint8_t *row,
        int32_t blocks, const int8_t *q, const float *d, const int32_t *c, int32_t cols, int32_t tokens,
        float *y, int32_t y_rows) {
    const int64_t block_bytes = q4 ? 18 : 34;
    for (int32_t t = 0; t < tokens; t++) {
        float acc = 0;
        for (int32_t b = 0; b < blocks; b++) {
            const uint8_t *block = row + b * block_bytes;
            int64_t xb = (int64_t) t * blocks + b;
            __m256i x = _mm256_loadu_si256((const __m256i *) (q + (int64_t) t * cols + b * 32));
            int32_t sum;
            if (q4) {
                sum = KERNEL(sum1)(DOT_U8S8(_mm256_setzero_si256(), KERNEL(q4_0_unpack)(block), x)) + c[xb];
            } else {
                __m256i w = _mm256_loadu_si256((const __m256i *) (block + 2));
                sum = KERNEL(sum1)(DOT_U8S8(_mm256_setzero_si256(), _mm256_abs_epi8(w), _mm256_sign_epi8(x, w)));
            }
            float scale = KERNEL(scale1)(block) * d[xb];
            acc = _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss((float) sum), _mm_set_ss(scale), _mm_set_ss(acc)));
        }
        y[(int64_t) t * y_rows] = acc;
    }
}

/*
 * Rows [from, to) of a Q4_0 (q4) or Q8_0 matrix times `tokens` quantized inputs (engram_quantize_q8):
 * y[t * y_rows + r]. Eight rows go together, each block of them unpacked once for up to GROUP tokens.
 */
static inline __attribute__((always_inline)) void KERNEL(rows)(const int q4, const uint8_t *w, int32_t from,
        int32_t to, int32_t cols, const int8_t *q, const float *d, const int32_t *c, int32_t tokens, float *y,
        int32_t y_rows) {
    int32_t blocks = cols / 32;
    int64_t row_bytes = (int64_t) blocks * (q4 ? 18 : 34);
    int32_t r = from;
    for (; to - r >= 8; r += 8) {
        const uint8_t *row = w + r * row_bytes;
        int32_t t = 0;
#define ROWS8_TOKENS(n)                                                                                \
        for (; tokens - t >= (n); t += (n)) {                                                         \
            int64_t xo = (int64_t) t * blocks;                                                          \
            KERNEL(rows8)(q4, row, row_bytes, blocks, q + (int64_t) t * cols, d + xo, q4 ? c + xo : NULL, \
                    cols, (n), y + (int64_t) t * y_rows + r, y_rows);                                   \
        }
        ROWS8_TOKENS(GROUP)
        ROWS8_TOKENS(4)
        ROWS8_TOKENS(1)
#undef ROWS8_TOKENS
    }
    for (; r < to; r++) {
        KERNEL(rows1)(q4, w + r * row_bytes, blocks, q, d, c, cols, tokens, y + r, y_rows);
    }
}

