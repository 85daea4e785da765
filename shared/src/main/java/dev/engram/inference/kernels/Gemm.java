package dev.engram.inference.kernels;

import static dev.engram.inference.kernels.Lanes.FLOATS;
import static dev.engram.inference.kernels.Lanes.LENGTH;

import jdk.incubator.vector.FloatVector;

/**
 * The blocked product for many tokens at once (a prompt): four rows of weights are written out as
 * floats into a small panel that stays in the first-level cache, then multiplied with the tokens six
 * at a time, 24 running sums held in registers. Unpacking a weight block once per block of tokens
 * instead of once per token is what makes a prompt many times faster per token than decoding.
 *
 * <p>Every output value is computed the same way whichever kernel handles it (a full 4×6 tile or a
 * remainder): products summed in column order, one vector lane each, then {@link Lanes#sum}, then the
 * columns past the last whole vector. So a token's result does not depend on the prompt's length or
 * on how a prompt was cut into chunks.
 */
public final class Gemm {
    /** Rows unpacked together. */
    public static final int ROWS = 4;

    private static final int TOKENS = 6;
    /** Tokens whose inputs are kept hot while the rows stream past: ~1 MB of inputs at 2048 columns. */
    private static final int TOKEN_BLOCK = 120;

    private Gemm() {}

    /** The panel a thread needs for a matrix with {@code cols} columns. */
    public static float[] panel(int cols) {
        return new float[ROWS * cols];
    }

    /**
     * Rows {@code [from, to)} of {@code y[t * rows + r] = Σ_c w[r][c] · x[t * cols + c]} for all
     * {@code tokens}; {@code from} is a multiple of {@link #ROWS}.
     */
    public static void multiply(WeightMatrix w, float[] x, int tokens, float[] y, int from, int to, float[] panel) {
        int cols = w.cols();
        int rows = w.rows();
        for (int block = 0; block < tokens; block += TOKEN_BLOCK) {
            int end = Math.min(tokens, block + TOKEN_BLOCK);
            int r = from;
            for (; r + ROWS <= to; r += ROWS) {
                w.dequantize(r, ROWS, panel, 0);
                int t = block;
                for (; t + TOKENS <= end; t += TOKENS) {
                    tile4x6(panel, x, t, cols, y, rows, r);
                }
                for (; t < end; t++) {
                    for (int i = 0; i < ROWS; i++) {
                        y[t * rows + r + i] = dot(panel, i * cols, x, t * cols, cols);
                    }
                }
            }
            for (; r < to; r++) {
                w.dequantize(r, 1, panel, 0);
                for (int t = block; t < end; t++) {
                    y[t * rows + r] = dot(panel, 0, x, t * cols, cols);
                }
            }
        }
    }

    /** One output value, the same arithmetic as one lane of {@link #tile4x6}. */
    static float dot(float[] w, int wo, float[] x, int xo, int cols) {
        int whole = cols - cols % LENGTH;
        FloatVector acc = FloatVector.zero(FLOATS);
        for (int i = 0; i < whole; i += LENGTH) {
            acc = FloatVector.fromArray(FLOATS, w, wo + i).fma(FloatVector.fromArray(FLOATS, x, xo + i), acc);
        }
        return finish(Lanes.sum(acc), w, wo, x, xo, whole, cols);
    }

    /** {@code sum} plus the products of the columns past the last whole vector, in column order. */
    private static float finish(float sum, float[] w, int wo, float[] x, int xo, int whole, int cols) {
        for (int i = whole; i < cols; i++) {
            sum += w[wo + i] * x[xo + i];
        }
        return sum;
    }

    /**
     * Four rows by six tokens. Written out in full: the 24 sums must stay in registers (C2 keeps
     * vector locals in registers, not vector arrays), and the stores stay in this method, which keeps
     * C2 from boxing the sums.
     */
    private static void tile4x6(float[] panel, float[] x, int t0, int cols, float[] y, int rows, int r) {
        FloatVector z = FloatVector.zero(FLOATS);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a04 = z, a05 = z;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z, a14 = z, a15 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z, a24 = z, a25 = z;
        FloatVector a30 = z, a31 = z, a32 = z, a33 = z, a34 = z, a35 = z;
        int x0 = t0 * cols;
        int x1 = x0 + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        int x4 = x3 + cols;
        int x5 = x4 + cols;
        int whole = cols - cols % LENGTH;
        for (int i = 0; i < whole; i += LENGTH) {
            FloatVector w0 = FloatVector.fromArray(FLOATS, panel, i);
            FloatVector w1 = FloatVector.fromArray(FLOATS, panel, cols + i);
            FloatVector w2 = FloatVector.fromArray(FLOATS, panel, 2 * cols + i);
            FloatVector w3 = FloatVector.fromArray(FLOATS, panel, 3 * cols + i);
            FloatVector v = FloatVector.fromArray(FLOATS, x, x0 + i);
            a00 = w0.fma(v, a00);
            a10 = w1.fma(v, a10);
            a20 = w2.fma(v, a20);
            a30 = w3.fma(v, a30);
            v = FloatVector.fromArray(FLOATS, x, x1 + i);
            a01 = w0.fma(v, a01);
            a11 = w1.fma(v, a11);
            a21 = w2.fma(v, a21);
            a31 = w3.fma(v, a31);
            v = FloatVector.fromArray(FLOATS, x, x2 + i);
            a02 = w0.fma(v, a02);
            a12 = w1.fma(v, a12);
            a22 = w2.fma(v, a22);
            a32 = w3.fma(v, a32);
            v = FloatVector.fromArray(FLOATS, x, x3 + i);
            a03 = w0.fma(v, a03);
            a13 = w1.fma(v, a13);
            a23 = w2.fma(v, a23);
            a33 = w3.fma(v, a33);
            v = FloatVector.fromArray(FLOATS, x, x4 + i);
            a04 = w0.fma(v, a04);
            a14 = w1.fma(v, a14);
            a24 = w2.fma(v, a24);
            a34 = w3.fma(v, a34);
            v = FloatVector.fromArray(FLOATS, x, x5 + i);
            a05 = w0.fma(v, a05);
            a15 = w1.fma(v, a15);
            a25 = w2.fma(v, a25);
            a35 = w3.fma(v, a35);
        }
        int o = t0 * rows + r;
        y[o + 0] = finish(Lanes.sum(a00), panel, 0, x, x0, whole, cols);
        y[o + 1] = finish(Lanes.sum(a10), panel, cols, x, x0, whole, cols);
        y[o + 2] = finish(Lanes.sum(a20), panel, 2 * cols, x, x0, whole, cols);
        y[o + 3] = finish(Lanes.sum(a30), panel, 3 * cols, x, x0, whole, cols);
        o += rows;
        y[o + 0] = finish(Lanes.sum(a01), panel, 0, x, x1, whole, cols);
        y[o + 1] = finish(Lanes.sum(a11), panel, cols, x, x1, whole, cols);
        y[o + 2] = finish(Lanes.sum(a21), panel, 2 * cols, x, x1, whole, cols);
        y[o + 3] = finish(Lanes.sum(a31), panel, 3 * cols, x, x1, whole, cols);
        o += rows;
        y[o + 0] = finish(Lanes.sum(a02), panel, 0, x, x2, whole, cols);
        y[o + 1] = finish(Lanes.sum(a12), panel, cols, x, x2, whole, cols);
        y[o + 2] = finish(Lanes.sum(a22), panel, 2 * cols, x, x2, whole, cols);
        y[o + 3] = finish(Lanes.sum(a32), panel, 3 * cols, x, x2, whole, cols);
        o += rows;
        y[o + 0] = finish(Lanes.sum(a03), panel, 0, x, x3, whole, cols);
        y[o + 1] = finish(Lanes.sum(a13), panel, cols, x, x3, whole, cols);
        y[o + 2] = finish(Lanes.sum(a23), panel, 2 * cols, x, x3, whole, cols);
        y[o + 3] = finish(Lanes.sum(a33), panel, 3 * cols, x, x3, whole, cols);
        o += rows;
        y[o + 0] = finish(Lanes.sum(a04), panel, 0, x, x4, whole, cols);
        y[o + 1] = finish(Lanes.sum(a14), panel, cols, x, x4, whole, cols);
        y[o + 2] = finish(Lanes.sum(a24), panel, 2 * cols, x, x4, whole, cols);
        y[o + 3] = finish(Lanes.sum(a34), panel, 3 * cols, x, x4, whole, cols);
        o += rows;
        y[o + 0] = finish(Lanes.sum(a05), panel, 0, x, x5, whole, cols);
        y[o + 1] = finish(Lanes.sum(a15), panel, cols, x, x5, whole, cols);
        y[o + 2] = finish(Lanes.sum(a25), panel, 2 * cols, x, x5, whole, cols);
        y[o + 3] = finish(Lanes.sum(a35), panel, 3 * cols, x, x5, whole, cols);
    }
}
