package dev.engram.inference.kernels;

import static dev.engram.inference.kernels.Lanes.FLOATS;
import static dev.engram.inference.kernels.Lanes.LENGTH;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * The blocked product for many tokens at once (a prompt). The columns are taken in passes of
 * {@link #DEPTH}; in each pass, every group of sixteen rows has its weights written out as floats into a
 * panel that stays in the first-level cache and is multiplied with the tokens, four rows by six tokens
 * at a time with 24 running sums in registers. Between passes the running sums wait in a scratch
 * array, so neither the panel nor a tile's inputs outgrow the first-level cache however long the rows
 * are, and a pass's inputs serve all the rows of a call before the next pass. Unpacking a weight block
 * once per block of tokens instead of once per token is what makes a prompt many times faster per
 * token than decoding.
 *
 * <p>Every output value is computed the same way whichever kernel handles it (a full 4×6 tile or a
 * remainder) and however the columns are cut into passes: products summed in column order, one vector
 * lane each, then {@link Lanes#sum}, then the columns past the last whole vector. So a token's result
 * does not depend on the prompt's length or on how a prompt was cut into chunks.
 */
public final class Gemm {
    /** Rows multiplied together by one tile. */
    private static final int ROWS = 4;

    private static final int TOKENS = 6;
    /** Rows whose weights one pass unpacks: 32 KB of floats at {@link #DEPTH} columns. */
    private static final int GROUP = 16;
    /** Columns per pass, a multiple of every vector length and of the 32-value quantization block. */
    private static final int DEPTH = 512;
    /**
     * Tokens per block: one pass's inputs (256 KB) and the running sums of 64 rows (512 KB) stay in the
     * second-level cache.
     */
    private static final int TOKEN_BLOCK = 128;

    private Gemm() {}

    /** A thread's working memory for {@link #multiply}: reuse it for every product on that thread. */
    public static final class Scratch {
        private final float[] panel = new float[GROUP * (DEPTH + LENGTH)];
        private float[] sums = new float[0];

        private void fit(int rows) {
            if (sums.length < rows * TOKEN_BLOCK * LENGTH) {
                sums = new float[rows * TOKEN_BLOCK * LENGTH];
            }
        }
    }

    /**
     * Rows {@code [from, to)} of {@code y[t * rows + r] = Σ_c w[r][c] · x[t * cols + c]} for all
     * {@code tokens}. Each pass's inputs are used for all the rows before the next pass, so give a
     * thread a few groups of rows at a time (MatMul gives 64).
     */
    public static void multiply(WeightMatrix w, float[] x, int tokens, float[] y, int from, int to, Scratch scratch) {
        int cols = w.cols();
        int whole = cols - cols % LENGTH;
        scratch.fit(to - from);
        Pass p = new Pass(scratch, x, y, w.rows(), cols, from);
        for (int block = 0; block < tokens; block += TOKEN_BLOCK) {
            int blockTokens = Math.min(TOKEN_BLOCK, tokens - block);
            for (int col = 0; col < cols; ) {
                // The last pass also takes the columns past the last whole vector.
                int next = whole - col > DEPTH ? col + DEPTH : cols;
                if (col == 0) {
                    Arrays.fill(scratch.sums, 0, (to - from) * blockTokens * LENGTH, 0f);
                }
                for (int group = from; group < to; group += GROUP) {
                    int count = Math.min(GROUP, to - group);
                    p.start(group, block, blockTokens, col, next, Math.min(next, whole) - col);
                    w.dequantize(group, count, col, next - col, scratch.panel, 0);
                    run(p, count, blockTokens);
                }
                col = next;
            }
        }
    }

    /** One pass over all tokens of the block: full tiles, then the remaining tokens, then the remaining rows. */
    private static void run(Pass p, int count, int blockTokens) {
        int fullRows = count - count % ROWS;
        int t = 0;
        for (; t + TOKENS <= blockTokens; t += TOKENS) {
            for (int r = 0; r < fullRows; r += ROWS) {
                tile4x6(p, r, t);
            }
        }
        for (; t < blockTokens; t++) {
            for (int r = 0; r < fullRows; r += ROWS) {
                tile4x1(p, r, t);
            }
        }
        for (int r = fullRows; r < count; r++) {
            for (t = 0; t < blockTokens; t++) {
                tile1x1(p, r, t);
            }
        }
    }

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(FLOATS, a, offset);
    }

    /** Where one pass is: the rows' group, the token block and the columns, and where its sums go. */
    private static final class Pass {
        final float[] panel;
        final float[] sums;
        final float[] x;
        final float[] y;
        final int rows;
        final int cols;
        /** The first row of the call, where the sums' rows start. */
        final int from;

        int group;
        int block;
        int col;
        /** Panel values per row: the pass's columns. */
        int width;
        /** The pass's columns that fill whole vectors. */
        int vectorColumns;

        int sumRowStride;
        boolean last;

        Pass(Scratch scratch, float[] x, float[] y, int rows, int cols, int from) {
            this.panel = scratch.panel;
            this.sums = scratch.sums;
            this.from = from;
            this.x = x;
            this.y = y;
            this.rows = rows;
            this.cols = cols;
        }

        void start(int group, int block, int blockTokens, int col, int next, int vectorColumns) {
            this.group = group;
            this.block = block;
            this.col = col;
            this.width = next - col;
            this.vectorColumns = vectorColumns;
            this.sumRowStride = blockTokens * LENGTH;
            this.last = next == cols;
        }

        int inputOffset(int token) {
            return (block + token) * cols + col;
        }

        int sumOffset(int row, int token) {
            return (group - from + row) * sumRowStride + token * LENGTH;
        }

        /**
         * Writes the outputs of a tile from its stored sums: each one's lane sum plus the products past the
         * last whole vector, in column order. A loop, not a call per sum: C2 stops inlining in a method as
         * large as a tile, and a vector passed to a call that is not inlined is boxed.
         */
        void finish(int row, int token, int rowCount, int tokenCount) {
            for (int r = row; r < row + rowCount; r++) {
                for (int t = token; t < token + tokenCount; t++) {
                    float sum = Lanes.sum(sums, sumOffset(r, t));
                    int w = r * width;
                    int in = inputOffset(t);
                    for (int c = vectorColumns; c < width; c++) {
                        sum += panel[w + c] * x[in + c];
                    }
                    y[(block + t) * rows + group + r] = sum;
                }
            }
        }
    }

    /**
     * Four rows by six tokens over one pass's columns. Written out in full: the 24 sums must stay in
     * registers (C2 keeps vector locals in registers, not vector arrays), and the stores stay in this
     * method, which keeps C2 from boxing the sums.
     */
    private static void tile4x6(Pass p, int ri, int ti) {
        float[] panel = p.panel;
        float[] x = p.x;
        float[] sums = p.sums;
        int w0o = ri * p.width;
        int w1o = w0o + p.width;
        int w2o = w1o + p.width;
        int w3o = w2o + p.width;
        int x0 = p.inputOffset(ti);
        int x1 = x0 + p.cols;
        int x2 = x1 + p.cols;
        int x3 = x2 + p.cols;
        int x4 = x3 + p.cols;
        int x5 = x4 + p.cols;
        int s = p.sumOffset(ri, ti);
        int rs = p.sumRowStride;
        int n = p.vectorColumns;
        FloatVector a00 = load(sums, s),
                a01 = load(sums, s + 1 * LENGTH),
                a02 = load(sums, s + 2 * LENGTH),
                a03 = load(sums, s + 3 * LENGTH),
                a04 = load(sums, s + 4 * LENGTH),
                a05 = load(sums, s + 5 * LENGTH);
        FloatVector a10 = load(sums, s + 1 * rs),
                a11 = load(sums, s + 1 * rs + 1 * LENGTH),
                a12 = load(sums, s + 1 * rs + 2 * LENGTH),
                a13 = load(sums, s + 1 * rs + 3 * LENGTH),
                a14 = load(sums, s + 1 * rs + 4 * LENGTH),
                a15 = load(sums, s + 1 * rs + 5 * LENGTH);
        FloatVector a20 = load(sums, s + 2 * rs),
                a21 = load(sums, s + 2 * rs + 1 * LENGTH),
                a22 = load(sums, s + 2 * rs + 2 * LENGTH),
                a23 = load(sums, s + 2 * rs + 3 * LENGTH),
                a24 = load(sums, s + 2 * rs + 4 * LENGTH),
                a25 = load(sums, s + 2 * rs + 5 * LENGTH);
        FloatVector a30 = load(sums, s + 3 * rs),
                a31 = load(sums, s + 3 * rs + 1 * LENGTH),
                a32 = load(sums, s + 3 * rs + 2 * LENGTH),
                a33 = load(sums, s + 3 * rs + 3 * LENGTH),
                a34 = load(sums, s + 3 * rs + 4 * LENGTH),
                a35 = load(sums, s + 3 * rs + 5 * LENGTH);
        for (int i = 0; i < n; i += LENGTH) {
            FloatVector w0 = FloatVector.fromArray(FLOATS, panel, w0o + i);
            FloatVector w1 = FloatVector.fromArray(FLOATS, panel, w1o + i);
            FloatVector w2 = FloatVector.fromArray(FLOATS, panel, w2o + i);
            FloatVector w3 = FloatVector.fromArray(FLOATS, panel, w3o + i);
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
        a00.intoArray(sums, s);
        a10.intoArray(sums, s + 1 * rs);
        a20.intoArray(sums, s + 2 * rs);
        a30.intoArray(sums, s + 3 * rs);
        a01.intoArray(sums, s + 1 * LENGTH);
        a11.intoArray(sums, s + 1 * rs + 1 * LENGTH);
        a21.intoArray(sums, s + 2 * rs + 1 * LENGTH);
        a31.intoArray(sums, s + 3 * rs + 1 * LENGTH);
        a02.intoArray(sums, s + 2 * LENGTH);
        a12.intoArray(sums, s + 1 * rs + 2 * LENGTH);
        a22.intoArray(sums, s + 2 * rs + 2 * LENGTH);
        a32.intoArray(sums, s + 3 * rs + 2 * LENGTH);
        a03.intoArray(sums, s + 3 * LENGTH);
        a13.intoArray(sums, s + 1 * rs + 3 * LENGTH);
        a23.intoArray(sums, s + 2 * rs + 3 * LENGTH);
        a33.intoArray(sums, s + 3 * rs + 3 * LENGTH);
        a04.intoArray(sums, s + 4 * LENGTH);
        a14.intoArray(sums, s + 1 * rs + 4 * LENGTH);
        a24.intoArray(sums, s + 2 * rs + 4 * LENGTH);
        a34.intoArray(sums, s + 3 * rs + 4 * LENGTH);
        a05.intoArray(sums, s + 5 * LENGTH);
        a15.intoArray(sums, s + 1 * rs + 5 * LENGTH);
        a25.intoArray(sums, s + 2 * rs + 5 * LENGTH);
        a35.intoArray(sums, s + 3 * rs + 5 * LENGTH);
        if (p.last) {
            p.finish(ri, ti, ROWS, TOKENS);
        }
    }

    /** Four rows by one token: the remainder of a block's tokens, the same arithmetic per output. */
    private static void tile4x1(Pass p, int ri, int ti) {
        float[] panel = p.panel;
        float[] x = p.x;
        float[] sums = p.sums;
        int w0o = ri * p.width;
        int w1o = w0o + p.width;
        int w2o = w1o + p.width;
        int w3o = w2o + p.width;
        int x0 = p.inputOffset(ti);
        int s = p.sumOffset(ri, ti);
        int rs = p.sumRowStride;
        int n = p.vectorColumns;
        FloatVector a0 = load(sums, s),
                a1 = load(sums, s + rs),
                a2 = load(sums, s + 2 * rs),
                a3 = load(sums, s + 3 * rs);
        for (int i = 0; i < n; i += LENGTH) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, x0 + i);
            a0 = FloatVector.fromArray(FLOATS, panel, w0o + i).fma(v, a0);
            a1 = FloatVector.fromArray(FLOATS, panel, w1o + i).fma(v, a1);
            a2 = FloatVector.fromArray(FLOATS, panel, w2o + i).fma(v, a2);
            a3 = FloatVector.fromArray(FLOATS, panel, w3o + i).fma(v, a3);
        }
        a0.intoArray(sums, s);
        a1.intoArray(sums, s + rs);
        a2.intoArray(sums, s + 2 * rs);
        a3.intoArray(sums, s + 3 * rs);
        if (p.last) {
            p.finish(ri, ti, ROWS, 1);
        }
    }

    /** One row by one token: rows past the last group of four. */
    private static void tile1x1(Pass p, int ri, int ti) {
        int wo = ri * p.width;
        int x0 = p.inputOffset(ti);
        int s = p.sumOffset(ri, ti);
        FloatVector a = load(p.sums, s);
        for (int i = 0; i < p.vectorColumns; i += LENGTH) {
            a = FloatVector.fromArray(FLOATS, p.panel, wo + i).fma(FloatVector.fromArray(FLOATS, p.x, x0 + i), a);
        }
        a.intoArray(p.sums, s);
        if (p.last) {
            p.finish(ri, ti, 1, 1);
        }
    }
}
