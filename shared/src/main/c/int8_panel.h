/*
 * The panel kernel for Q4_0 weights (AVX-512 VNNI): four or more tokens (a prompt, or a batched decode
 * step) times sixteen rows at a time, one row per 32-bit lane. A pass's blocks of the sixteen rows are
 * first rearranged into a panel, in which register k of a block holds values 4k..4k+3 of every row; one dot-product instruction then
 * adds four products for all sixteen rows, with the token's four inputs broadcast, and a block costs
 * eight of them per token plus one scaling for all sixteen rows. One to three tokens would not repay
 * the rearranging; they go row by row (int8_dot.h), with the same result to the bit.
 */

/* Blocks of a pass: the panel (32 KB) and its scales stay in the first-level cache. */
#define PASS_BLOCKS 64

/* Unpacks blocks [b0, b0 + count) of the rows at `base` (`lanes` of them) into the panel. */
static inline __attribute__((always_inline)) void q4_0_panel(const uint8_t *base, int64_t row_bytes,
        __mmask16 lanes, int32_t b0, int32_t count, __m512i *panel, __m512 *scales) {
    const __m512i rows = _mm512_mullo_epi32(
            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
            _mm512_set1_epi32((int32_t) row_bytes));
    const __m512i low = _mm512_set1_epi8(0x0F);
    for (int32_t b = 0; b < count; b++) {
        const uint8_t *block = base + (int64_t) (b0 + b) * 18;
        /* The scale is the low half of the block's first four bytes. */
        __m512i head = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), lanes, rows, block, 1);
        scales[b] = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(head));
        for (int k = 0; k < 4; k++) {
            __m512i packed = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), lanes, rows, block + 2 + 4 * k, 1);
            panel[b * 8 + k] = _mm512_and_si512(packed, low);
            panel[b * 8 + 4 + k] = _mm512_and_si512(_mm512_srli_epi32(packed, 4), low);
        }
    }
}

/* n tokens from t0 over a pass's panel; the sums wait in y between passes. */
static inline __attribute__((always_inline)) void q4_0_prompt_tile(const __m512i *panel, const __m512 *scales,
        int32_t b0, int32_t count, int32_t blocks, int32_t cols, const int8_t *q, const float *d,
        const int32_t *c, int32_t t0, const int n, float *y, int32_t y_rows, int32_t r0, __mmask16 lanes) {
    __m512 acc[8];
    for (int t = 0; t < n; t++) {
        acc[t] = b0 == 0 ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(lanes, y + (int64_t) (t0 + t) * y_rows + r0);
    }
    for (int32_t b = 0; b < count; b++) {
        __m512i sum[8];
        for (int t = 0; t < n; t++) {
            sum[t] = _mm512_set1_epi32(c[(int64_t) (t0 + t) * blocks + b0 + b]);
        }
        for (int k = 0; k < 8; k++) {
            __m512i weights = panel[b * 8 + k];
            for (int t = 0; t < n; t++) {
                int32_t four;
                memcpy(&four, q + (int64_t) (t0 + t) * cols + (int64_t) (b0 + b) * 32 + 4 * k, 4);
                sum[t] = _mm512_dpbusd_epi32(sum[t], weights, _mm512_set1_epi32(four));
            }
        }
        for (int t = 0; t < n; t++) {
            __m512 scale = _mm512_mul_ps(scales[b], _mm512_set1_ps(d[(int64_t) (t0 + t) * blocks + b0 + b]));
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum[t]), scale, acc[t]);
        }
    }
    for (int t = 0; t < n; t++) {
        _mm512_mask_storeu_ps(y + (int64_t) (t0 + t) * y_rows + r0, lanes, acc[t]);
    }
}

/* Rows [from, to) of a Q4_0 matrix times `tokens` quantized inputs: y[t * y_rows + r]. */
static void q4_0_panels_vnni(const uint8_t *w, int32_t from, int32_t to, int32_t cols, const int8_t *q,
        const float *d, const int32_t *c, int32_t tokens, float *y, int32_t y_rows) {
    int32_t blocks = cols / 32;
    int64_t row_bytes = (int64_t) blocks * 18;
    __m512i panel[PASS_BLOCKS * 8];
    __m512 scales[PASS_BLOCKS];
    for (int32_t r0 = from; r0 < to; r0 += 16) {
        int32_t here = to - r0 < 16 ? to - r0 : 16;
        __mmask16 lanes = (__mmask16) ((1u << here) - 1);
        for (int32_t b0 = 0; b0 < blocks; b0 += PASS_BLOCKS) {
            int32_t count = blocks - b0 < PASS_BLOCKS ? blocks - b0 : PASS_BLOCKS;
            q4_0_panel(w + r0 * row_bytes, row_bytes, lanes, b0, count, panel, scales);
            int32_t t = 0;
            for (; tokens - t >= 8; t += 8) {
                q4_0_prompt_tile(panel, scales, b0, count, blocks, cols, q, d, c, t, 8, y, y_rows, r0, lanes);
            }
            for (; t < tokens; t++) {
                q4_0_prompt_tile(panel, scales, b0, count, blocks, cols, q, d, c, t, 1, y, y_rows, r0, lanes);
            }
        }
    }
}
