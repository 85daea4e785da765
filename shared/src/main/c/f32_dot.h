/*
 * F32 weights times float inputs, for decoding. Each row is summed exactly as the Vector API kernel
 * (F32Matrix) sums it, so a token gets the same bits from either: one vector of LANES products
 * accumulated along the row by fused multiply-adds, its lanes added in fixed pairs (lanes i and i ^ d,
 * d halving), then the tail shorter than a vector, one product at a time. Four rows share each input
 * load and make four independent chains, which keeps enough reads in flight to stream the weights at
 * the memory's pace; a step's later tokens find the four rows in the caches.
 *
 * Included once per vector width, with VEC, VZERO, VLOAD, VSTORE, VFMA, LANES and KERNEL defined; all
 * but KERNEL are undefined at the end.
 */

static inline float KERNEL(f32_finish)(VEC acc, const float *w, const float *x, int32_t whole, int32_t cols) {
    float v[LANES];
    VSTORE(v, acc);
    for (int d = LANES / 2; d >= 1; d /= 2) {
        float pairs[LANES];
        for (int i = 0; i < LANES; i++) {
            pairs[i] = v[i] + v[i ^ d];
        }
        memcpy(v, pairs, sizeof pairs);
    }
    float sum = v[0];
    for (int32_t i = whole; i < cols; i++) {
        sum += w[i] * x[i];
    }
    return sum;
}

/* Rows [from, to) of the F32 matrix w (cols wide) times `tokens` inputs: y[t * y_rows + r]. */
static void KERNEL(f32_rows)(const float *w, int32_t from, int32_t to, int32_t cols, const float *x, int32_t tokens,
        float *y, int32_t y_rows) {
    int32_t whole = cols - cols % LANES;
    int32_t r = from;
    for (; r + 4 <= to; r += 4) {
        const float *w0 = w + (int64_t) r * cols;
        const float *w1 = w0 + cols;
        const float *w2 = w1 + cols;
        const float *w3 = w2 + cols;
        for (int32_t t = 0; t < tokens; t++) {
            const float *xt = x + (int64_t) t * cols;
            VEC a0 = VZERO, a1 = VZERO, a2 = VZERO, a3 = VZERO;
            for (int32_t i = 0; i < whole; i += LANES) {
                VEC v = VLOAD(xt + i);
                a0 = VFMA(VLOAD(w0 + i), v, a0);
                a1 = VFMA(VLOAD(w1 + i), v, a1);
                a2 = VFMA(VLOAD(w2 + i), v, a2);
                a3 = VFMA(VLOAD(w3 + i), v, a3);
            }
            float *yt = y + (int64_t) t * y_rows + r;
            yt[0] = KERNEL(f32_finish)(a0, w0, xt, whole, cols);
            yt[1] = KERNEL(f32_finish)(a1, w1, xt, whole, cols);
            yt[2] = KERNEL(f32_finish)(a2, w2, xt, whole, cols);
            yt[3] = KERNEL(f32_finish)(a3, w3, xt, whole, cols);
        }
    }
    for (; r < to; r++) {
        const float *wr = w + (int64_t) r * cols;
        for (int32_t t = 0; t < tokens; t++) {
            const float *xt = x + (int64_t) t * cols;
            VEC a = VZERO;
            for (int32_t i = 0; i < whole; i += LANES) {
                a = VFMA(VLOAD(wr + i), VLOAD(xt + i), a);
            }
            y[(int64_t) t * y_rows + r] = KERNEL(f32_finish)(a, wr, xt, whole, cols);
        }
    }
}

#undef VEC
#undef VZERO
#undef VLOAD
#undef VSTORE
#undef VFMA
#undef LANES
