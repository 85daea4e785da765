/*
 * Q4_0 panels through AMX tiles (Sapphire Rapids and later), for a dozen tokens or more. A block of a
 * panel is already laid out as the tile instruction wants its second operand: eight 64-byte registers
 * of sixteen rows' four values each (unpacked here to GGML's signed values). The first operand is
 * sixteen tokens' quantized inputs of the block. One tile multiply gives the block's exact integer
 * sums for sixteen tokens times sixteen rows, which cost the VNNI kernel 128 instructions; they are
 * then scaled and added exactly as int8_panel.h does, token by token and block by block, so the
 * result is the same to the bit. The scaling after every block of 32 columns is what keeps this to
 * about 1.5 to 1.9 times the VNNI kernel's speed (16 to 128 tokens); each block's multiply runs while
 * the block before it is scaled.
 *
 * Tile state is the calling thread's: each call configures the tiles and releases them before it
 * returns, so no tile data is saved when the thread is switched out between calls.
 */

/* Tokens one tile multiply serves: the first operand's sixteen rows. */
#define AMX_TOKENS 16
/* Fewer tokens than this are faster with the VNNI kernel (4096 x 2048 weights: 0.8x at 8 tokens, 1.4x at 12). */
#define AMX_MIN_TOKENS 12
/* Blocks unpacked at a time for all tiles of tokens: 32 KB, held in the first-level cache. */
#define PASS_BLOCKS 64

/* Palette 1's configuration: per tile, its rows and bytes per row. */
typedef struct {
    uint8_t palette;
    uint8_t start_row;
    uint8_t reserved[14];
    uint16_t bytes[16];
    uint8_t rows[16];
} __attribute__((aligned(64))) amx_config;

/*
 * Tiles 0 and 1: sixteen tokens' inputs of a block; 2 and 3: the block's weights; 4 and 5: their sums.
 * Two blocks are in flight, so one block's sums are scaled while the next one's are multiplied.
 */
static void amx_configure(void) {
    amx_config config;
    memset(&config, 0, sizeof config);
    config.palette = 1;
    for (int k = 0; k < 2; k++) {
        config.rows[k] = AMX_TOKENS;
        config.bytes[k] = 32;
        config.rows[2 + k] = 8;
        config.bytes[2 + k] = 64;
        config.rows[4 + k] = AMX_TOKENS;
        config.bytes[4 + k] = 64;
    }
    _tile_loadconfig(&config);
}

/* A block's eight registers of signed values (GGML's value - 8), from its four packed ones. */
static inline __attribute__((always_inline)) void q4_0_unpack_signed(const uint8_t *block, __m512i *weights) {
    const __m512i eight = _mm512_set1_epi8(8);
    q4_0_unpack_block(block, weights);
    for (int k = 0; k < 8; k++) {
        weights[k] = _mm512_sub_epi8(weights[k], eight);
    }
}

/* Scales n tokens' sums of one block (row t of `sums`) and adds them to acc, as panel_tile does. */
static inline __attribute__((always_inline)) void q4_0_amx_scale(const int32_t *sums, const uint8_t *scales,
        const float *d, int64_t xb, int32_t blocks, const int n, __m512 *acc) {
    __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) scales));
    for (int t = 0; t < n; t++) {
        __m512 sum = _mm512_cvtepi32_ps(_mm512_load_si512(sums + 16 * t));
        acc[t] = _mm512_fmadd_ps(sum, _mm512_mul_ps(dw, _mm512_set1_ps(d[xb + (int64_t) t * blocks])), acc[t]);
    }
}

/*
 * Tokens t0 .. t0 + n - 1 (q points at their tile of inputs) times blocks
 * [b0, b0 + count) of one group, whose blocks are unpacked (signed) in `unpacked`; the sums wait in y
 * between passes. A block's tile sum is already the exact sum of the inputs times GGML's signed
 * values, which the VNNI kernel reaches by adding c to its unsigned products.
 */
static inline __attribute__((always_inline)) void q4_0_amx_tile(const uint8_t *group, const __m512i *unpacked,
        int32_t blocks, int32_t b0, int32_t count, const int8_t *q, const float *d, int32_t t0,
        const int n, float *y, int32_t y_rows, int32_t r0, __mmask16 lanes) {
    const uint8_t *scales = group + (int64_t) blocks * PANEL_NIBBLES + (int64_t) b0 * PANEL_SCALES;
    int32_t sums[AMX_TOKENS * 16] __attribute__((aligned(64)));
    __m512 acc[AMX_TOKENS];
    for (int t = 0; t < n; t++) {
        acc[t] = b0 == 0 ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(lanes, y + (int64_t) (t0 + t) * y_rows + r0);
    }
    int64_t xb = (int64_t) t0 * blocks + b0;
#define ISSUE(a, w, s, b)                                                   \
    _tile_loadd(a, q + (int64_t) (b0 + (b)) * AMX_TOKENS * 32, 32);         \
    _tile_loadd(w, unpacked + (b) * 8, 64);                                 \
    _tile_zero(s);                                                          \
    _tile_dpbssd(s, a, w);
#define SCALE(s, b)                                                         \
    _tile_stored(s, sums, 64);                                              \
    q4_0_amx_scale(sums, scales + (int64_t) (b) * PANEL_SCALES, d, xb + (b), blocks, n, acc);
    /* Even blocks on tiles 0, 2 and 4, odd ones on 1, 3 and 5: a block is multiplied while the one before is scaled. */
    ISSUE(0, 2, 4, 0);
    int32_t b = 0;
    for (; b + 2 < count; b += 2) {
        ISSUE(1, 3, 5, b + 1);
        SCALE(4, b);
        ISSUE(0, 2, 4, b + 2);
        SCALE(5, b + 1);
    }
    if (b + 1 < count) {
        ISSUE(1, 3, 5, b + 1);
        SCALE(4, b);
        SCALE(5, b + 1);
    } else {
        SCALE(4, b);
    }
#undef ISSUE
#undef SCALE
    for (int t = 0; t < n; t++) {
        _mm512_mask_storeu_ps(y + (int64_t) (t0 + t) * y_rows + r0, lanes, acc[t]);
    }
}

/* A tile of n (1..AMX_TOKENS) tokens, each count compiled on its own so the loops over tokens unroll. */
static void q4_0_amx_tiles(const uint8_t *group, const __m512i *unpacked, int32_t blocks, int32_t b0,
        int32_t count, const int8_t *q, const float *d, int32_t t0, int32_t n, float *y,
        int32_t y_rows, int32_t r0, __mmask16 lanes) {
    switch (n) {
#define TILE(k)                                                                                                 \
    case k:                                                                                                     \
        q4_0_amx_tile(group, unpacked, blocks, b0, count, q, d, t0, k, y, y_rows, r0, lanes);       \
        break;
        TILE(1) TILE(2) TILE(3) TILE(4) TILE(5) TILE(6) TILE(7) TILE(8)
        TILE(9) TILE(10) TILE(11) TILE(12) TILE(13) TILE(14) TILE(15) TILE(16)
#undef TILE
    }
}

/*
 * The inputs of `tokens` tokens (cols each) laid out tile by tile for q4_0_panels_amx: sixteen
 * tokens' 32 inputs of a block in 512 consecutive bytes, so a tile loads from consecutive lines;
 * tokens missing from the last tile are zero. Done once per product, not per call on a part of rows.
 */
static void q8_tiles(const int8_t *q, int32_t tokens, int32_t cols, int8_t *tiles) {
    int32_t blocks = cols / 32;
    int32_t padded = (tokens + AMX_TOKENS - 1) / AMX_TOKENS * AMX_TOKENS;
    for (int32_t t = 0; t < padded; t++) {
        for (int32_t b = 0; b < blocks; b++) {
            int8_t *block = tiles + ((int64_t) (t / AMX_TOKENS) * blocks + b) * AMX_TOKENS * 32 + t % AMX_TOKENS * 32;
            if (t < tokens) {
                memcpy(block, q + (int64_t) t * cols + (int64_t) b * 32, 32);
            } else {
                memset(block, 0, 32);
            }
        }
    }
}

/* Like panels (Q4_0), with the integer products on the tile unit; the inputs as q8_tiles lays them out. */
static void q4_0_panels_amx(const uint8_t *p, int32_t from, int32_t to, int32_t cols, const int8_t *tiles,
        const float *d, int32_t tokens, float *y, int32_t y_rows) {
    int32_t blocks = cols / 32;
    int64_t group_bytes = (int64_t) blocks * (PANEL_NIBBLES + PANEL_SCALES);
    int64_t tile_bytes = (int64_t) blocks * AMX_TOKENS * 32;
    amx_configure();
    __m512i unpacked[PASS_BLOCKS * 8];
    for (int32_t g = from / PANEL_ROWS; g * PANEL_ROWS < to; g++) {
        int32_t r0 = g * PANEL_ROWS;
        __mmask16 lanes = panel_lanes(from, to, r0);
        const uint8_t *group = p + g * group_bytes;
        for (int32_t b0 = 0; b0 < blocks; b0 += PASS_BLOCKS) {
            int32_t count = blocks - b0 < PASS_BLOCKS ? blocks - b0 : PASS_BLOCKS;
            for (int32_t b = 0; b < count; b++) {
                q4_0_unpack_signed(group + (int64_t) (b0 + b) * PANEL_NIBBLES, unpacked + b * 8);
            }
            for (int32_t t = 0; t < tokens; t += AMX_TOKENS) {
                int32_t n = tokens - t < AMX_TOKENS ? tokens - t : AMX_TOKENS;
                q4_0_amx_tiles(group, unpacked, blocks, b0, count, tiles + (t / AMX_TOKENS) * tile_bytes, d, t, n, y,
                        y_rows, r0, lanes);
            }
        }
    }
    _tile_release();
}
