/*
 * Q4_0 weights in panels (AVX-512 VNNI): rearranged once at load so that sixteen rows are multiplied
 * together, one row per 32-bit lane. Register k of a block holds bytes 4k..4k+3 of each row's packed
 * values (values 4k..4k+3 in the low nibbles, 16+4k..16+4k+3 in the high ones); one dot-product
 * instruction with a token's four inputs broadcast adds four products for all sixteen rows, and a
 * block's sums come out one per row, so nothing is summed across lanes and the sixteen scales are one
 * load. Decoding reads the weights at the memory's pace; a prompt goes through a group's panels once
 * per tile of tokens, the later times from the caches, unpacking them again each time: that costs less
 * than keeping the blocks unpacked and loading twice the bytes back.
 *
 * Layout: rows in groups of sixteen (the last padded with zero rows). A group holds each block's four
 * 64-byte registers, block after block, then each block's sixteen fp16 scales; as many bytes per row
 * and block as GGML's 18.
 *
 * Q8_0 weights go into panels the same way, with eight registers per block (values 4k..4k+3 of each
 * row in register k, offset by 128 into unsigned bytes) and nothing to unpack; as many bytes per row
 * and block as GGML's 34.
 */

#define PANEL_ROWS 16
#define PANEL_NIBBLES 256
/* A Q8_0 block in panels: eight registers of bytes, each value + 128 (unsigned). */
#define PANEL_BYTES 512
#define PANEL_SCALES 32
/* How far ahead of use the panels are fetched: decoding streamed fastest at 2 KB (0.5 to 4 KB tried). */
#define PANEL_AHEAD 2048
/* Tokens one pass over a block serves: eight sums and eight accumulators beside eight weight registers. */
#define TILE_TOKENS 8

/*
 * Groups [first, last) of the Q4_0 (q8 = 0) or Q8_0 matrix w (rows × cols) into panels p. A Q4_0 block's
 * 16 bytes go as they are, four per register; a Q8_0 block's 32 signed bytes go eight per register,
 * each offset by 128 (the top bit flipped) into an unsigned byte.
 */
static void pack_panels(const uint8_t *w, int32_t rows, int32_t cols, int32_t first, int32_t last, uint8_t *p,
        int q8) {
    const int registers = q8 ? 8 : 4;
    const int32_t stored = q8 ? 34 : 18;
    const int64_t stride = 64 * registers;
    const uint32_t flip = q8 ? 0x80808080u : 0;
    int32_t blocks = cols / 32;
    int64_t row_bytes = (int64_t) blocks * stored;
    int64_t group_bytes = (int64_t) blocks * (stride + PANEL_SCALES);
    for (int32_t g = first; g < last; g++) {
        uint8_t *values = p + g * group_bytes;
        uint8_t *scales = values + (int64_t) blocks * stride;
        for (int32_t b = 0; b < blocks; b++) {
            for (int32_t lane = 0; lane < PANEL_ROWS; lane++) {
                int32_t row = g * PANEL_ROWS + lane;
                uint8_t *scale = scales + b * PANEL_SCALES + 2 * lane;
                if (row >= rows) {
                    memset(scale, 0, 2);
                    for (int k = 0; k < registers; k++) {
                        memset(values + b * stride + 64 * k + 4 * lane, 0, 4);
                    }
                    continue;
                }
                const uint8_t *block = w + row * row_bytes + (int64_t) b * stored;
                memcpy(scale, block, 2);
                for (int k = 0; k < registers; k++) {
                    uint32_t four;
                    memcpy(&four, block + 2 + 4 * k, 4);
                    four ^= flip;
                    memcpy(values + b * stride + 64 * k + 4 * lane, &four, 4);
                }
            }
        }
    }
}

/* A block's eight registers of unsigned values, from its four packed ones. */
static inline __attribute__((always_inline)) void q4_0_unpack_block(const uint8_t *block, __m512i *weights) {
    const __m512i low = _mm512_set1_epi8(0x0F);
    for (int k = 0; k < 4; k++) {
        __m512i packed = _mm512_loadu_si512(block + 64 * k);
        weights[k] = _mm512_and_si512(packed, low);
        weights[4 + k] = _mm512_and_si512(_mm512_srli_epi32(packed, 4), low);
    }
}

/*
 * Tokens t0 .. t0 + n - 1 times all blocks of one group: Q4_0 (q8 = 0), unpacking each block as it goes,
 * or Q8_0 (q8 = 1), whose registers are the block's unsigned values as stored.
 */
static inline __attribute__((always_inline)) void panel_tile(const uint8_t *group, int32_t blocks, const int8_t *q,
        const float *d, const int32_t *c, int32_t t0, const int n, float *y, int32_t y_rows, int32_t r0,
        __mmask16 lanes, const int q8) {
    const int64_t stride = q8 ? PANEL_BYTES : PANEL_NIBBLES;
    const uint8_t *scales = group + (int64_t) blocks * stride;
    /* With few tokens, two chains of sums, so a token's dot products need not wait for each other. */
    const int chains = n < 4 ? 2 : 1;
    __m512 acc[TILE_TOKENS];
    for (int t = 0; t < n; t++) {
        acc[t] = _mm512_setzero_ps();
    }
    for (int32_t b = 0; b < blocks; b++) {
        const uint8_t *block = group + (int64_t) b * stride;
        for (int k = 0; k < (q8 ? 8 : 4); k++) {
            _mm_prefetch((const char *) block + PANEL_AHEAD + 64 * k, _MM_HINT_T0);
        }
        if ((b & 1) == 0) {
            _mm_prefetch((const char *) scales + (int64_t) b * PANEL_SCALES + PANEL_AHEAD / 8, _MM_HINT_T0);
        }
        __m512i weights[8];
        if (q8) {
            for (int k = 0; k < 8; k++) {
                weights[k] = _mm512_loadu_si512(block + 64 * k);
            }
        } else {
            q4_0_unpack_block(block, weights);
        }
        __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) (scales + (int64_t) b * PANEL_SCALES)));
        /* Token by token within each register, so the tokens' chains of sums advance together. */
        __m512i sums[TILE_TOKENS][2];
        for (int t = 0; t < n; t++) {
            /* c = -8 · Σq takes Q4_0's offset of 8 back off; Q8_0's offset is 128. */
            sums[t][0] = _mm512_set1_epi32(c[(int64_t) (t0 + t) * blocks + b] * (q8 ? 16 : 1));
            sums[t][1] = _mm512_setzero_si512();
        }
        for (int k = 0; k < 8; k++) {
            for (int t = 0; t < n; t++) {
                int32_t four;
                memcpy(&four, q + ((int64_t) (t0 + t) * blocks + b) * 32 + 4 * k, 4);
                sums[t][k % chains] = _mm512_dpbusd_epi32(sums[t][k % chains], weights[k], _mm512_set1_epi32(four));
            }
        }
        for (int t = 0; t < n; t++) {
            int64_t xb = (int64_t) (t0 + t) * blocks + b;
            __m512i sum = chains == 2 ? _mm512_add_epi32(sums[t][0], sums[t][1]) : sums[t][0];
            acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum), _mm512_mul_ps(dw, _mm512_set1_ps(d[xb])), acc[t]);
        }
    }
    for (int t = 0; t < n; t++) {
        _mm512_mask_storeu_ps(y + (int64_t) (t0 + t) * y_rows + r0, lanes, acc[t]);
    }
}

/* A tile of n (1..TILE_TOKENS) tokens, each count compiled on its own so the loops over tokens unroll. */
static void panel_tiles(const uint8_t *group, int32_t blocks, const int8_t *q, const float *d, const int32_t *c,
        int32_t t0, int32_t n, float *y, int32_t y_rows, int32_t r0, __mmask16 lanes, const int q8) {
    switch (n) {
#define TILE(k)                                                                                 \
    case k:                                                                                     \
        if (q8) {                                                                               \
            panel_tile(group, blocks, q, d, c, t0, k, y, y_rows, r0, lanes, 1);                 \
        } else {                                                                                \
            panel_tile(group, blocks, q, d, c, t0, k, y, y_rows, r0, lanes, 0);                 \
        }                                                                                       \
        break;
        TILE(1) TILE(2) TILE(3) TILE(4) TILE(5) TILE(6) TILE(7) TILE(8)
#undef TILE
    }
}

/* The lanes of the group whose first row is r0 that hold rows [from, to). */
static inline __attribute__((always_inline)) __mmask16 panel_lanes(int32_t from, int32_t to, int32_t r0) {
    int32_t lo = from > r0 ? from - r0 : 0;
    int32_t hi = to - r0 < PANEL_ROWS ? to - r0 : PANEL_ROWS;
    return (__mmask16) (((1u << hi) - 1) & ~((1u << lo) - 1));
}

/* Rows [from, to) of a Q4_0 (q8 = 0) or Q8_0 matrix in panels p times `tokens` quantized inputs: y[t * y_rows + r]. */
static void panels(const uint8_t *p, int32_t from, int32_t to, int32_t cols, const int8_t *q, const float *d,
        const int32_t *c, int32_t tokens, float *y, int32_t y_rows, int q8) {
    int32_t blocks = cols / 32;
    int64_t group_bytes = (int64_t) blocks * ((q8 ? PANEL_BYTES : PANEL_NIBBLES) + PANEL_SCALES);
    for (int32_t g = from / PANEL_ROWS; g * PANEL_ROWS < to; g++) {
        int32_t r0 = g * PANEL_ROWS;
        __mmask16 lanes = panel_lanes(from, to, r0);
        const uint8_t *group = p + g * group_bytes;
        for (int32_t t = 0; t < tokens; t += TILE_TOKENS) {
            int32_t n = tokens - t < TILE_TOKENS ? tokens - t : TILE_TOKENS;
            panel_tiles(group, blocks, q, d, c, t, n, y, y_rows, r0, lanes, q8);
        }
    }
}
