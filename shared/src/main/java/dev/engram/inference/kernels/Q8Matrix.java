package dev.engram.inference.kernels;

import static dev.engram.inference.kernels.Lanes.BYTES_16;
import static dev.engram.inference.kernels.Lanes.FLOATS;
import static dev.engram.inference.kernels.Lanes.LENGTH;
import static dev.engram.inference.kernels.Lanes.ORDER;
import static dev.engram.inference.kernels.Lanes.PER_BLOCK;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 8-bit weights in GGML's Q8_0 layout: blocks of 32 values, each an fp16 scale {@code d} and 32
 * signed bytes; a value is {@code q · d}.
 *
 * <p>{@code panels} is the same matrix rearranged for the native kernels ({@link NativeKernels#pack}),
 * or {@link MemorySegment#NULL}; {@code data} stays the matrix for everything else.
 */
public record Q8Matrix(MemorySegment data, int rows, int cols, MemorySegment panels) implements WeightMatrix {
    public static final int BLOCK_BYTES = 34;
    private static final ValueLayout.OfShort SCALE = ValueLayout.JAVA_SHORT_UNALIGNED;
    /** Float vectors filled from one 16-byte load. */
    private static final int PER_LOAD = 16 / LENGTH;

    public Q8Matrix(MemorySegment data, int rows, int cols) {
        this(data, rows, cols, MemorySegment.NULL);
    }

    public Q8Matrix {
        if (cols % 32 != 0) {
            throw new IllegalArgumentException("Q8_0 rows must be a multiple of 32 values, got " + cols);
        }
        if (data.byteSize() < bytesFor(rows, cols)) {
            throw new IllegalArgumentException("Q8_0 data too short for " + rows + " x " + cols);
        }
        if (!panels.equals(MemorySegment.NULL) && panels.byteSize() < panelBytes(rows, cols)) {
            throw new IllegalArgumentException("Q8_0 panels too short for " + rows + " x " + cols);
        }
    }

    /** Bytes of the matrix in panels: whole groups of sixteen rows, as many bytes per row as stored. */
    public static long panelBytes(int rows, int cols) {
        return bytesFor((rows + 15) / 16 * 16, cols);
    }

    /** Whether {@link #panels} holds the matrix. */
    public boolean inPanels() {
        return !panels.equals(MemorySegment.NULL);
    }

    public static long bytesFor(int rows, int cols) {
        return (long) rows * (cols / 32) * BLOCK_BYTES;
    }

    @Override
    public long bytes() {
        return bytesFor(rows, cols);
    }

    @Override
    public String format() {
        return "Q8_0";
    }

    private long rowOffset(int row) {
        return (long) row * (cols / 32) * BLOCK_BYTES;
    }

    /** Values {@code v·LENGTH ..} of the block at {@code off} as floats. */
    private FloatVector values(long off, int v) {
        ByteVector bytes = ByteVector.fromMemorySegment(BYTES_16, data, off + 2 + 16L * (v / PER_LOAD), ORDER);
        return (FloatVector) bytes.convertShape(VectorOperators.B2F, FLOATS, v % PER_LOAD);
    }

    @Override
    public void decode(float[] x, float[] sums, int first, int tokens, float[] y, int from, int to) {
        int xo = first * cols;
        int yo = first * rows;
        switch (tokens) {
            case 1 -> {
                for (int r = from; r < to; r++) {
                    y[yo + r] = dot1(r, x, xo);
                }
            }
            case 2 -> {
                for (int r = from; r < to; r++) {
                    dot2(r, x, xo, y, yo);
                }
            }
            case 4 -> {
                float[] lanes = new float[4 * LENGTH];
                for (int r = from; r < to; r++) {
                    dot4(r, x, xo, y, yo, lanes);
                }
            }
            default -> throw new IllegalArgumentException("decode takes 1, 2 or 4 tokens, got " + tokens);
        }
    }

    private float dot1(int row, float[] x, int xo) {
        int blocks = cols / 32;
        long off = rowOffset(row);
        FloatVector acc = FloatVector.zero(FLOATS);
        for (int b = 0; b < blocks; b++, off += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SCALE, off));
            int xb = xo + b * 32;
            FloatVector t = values(off, 0).mul(FloatVector.fromArray(FLOATS, x, xb));
            for (int v = 1; v < PER_BLOCK; v++) {
                t = values(off, v).fma(FloatVector.fromArray(FLOATS, x, xb + v * LENGTH), t);
            }
            acc = t.fma(FloatVector.broadcast(FLOATS, d), acc);
        }
        return Lanes.sum(acc);
    }

    private void dot2(int row, float[] x, int xo, float[] y, int yo) {
        int blocks = cols / 32;
        long off = rowOffset(row);
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = acc0;
        for (int b = 0; b < blocks; b++, off += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SCALE, off));
            int xb = xo + b * 32;
            FloatVector w = values(off, 0);
            FloatVector t0 = w.mul(FloatVector.fromArray(FLOATS, x, xb));
            FloatVector t1 = w.mul(FloatVector.fromArray(FLOATS, x, cols + xb));
            for (int v = 1; v < PER_BLOCK; v++) {
                w = values(off, v);
                int xv = xb + v * LENGTH;
                t0 = w.fma(FloatVector.fromArray(FLOATS, x, xv), t0);
                t1 = w.fma(FloatVector.fromArray(FLOATS, x, cols + xv), t1);
            }
            FloatVector scale = FloatVector.broadcast(FLOATS, d);
            acc0 = t0.fma(scale, acc0);
            acc1 = t1.fma(scale, acc1);
        }
        y[yo + row] = Lanes.sum(acc0);
        y[yo + rows + row] = Lanes.sum(acc1);
    }

    private void dot4(int row, float[] x, int xo, float[] y, int yo, float[] lanes) {
        int blocks = cols / 32;
        long off = rowOffset(row);
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int x1 = cols;
        int x2 = 2 * cols;
        int x3 = 3 * cols;
        for (int b = 0; b < blocks; b++, off += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SCALE, off));
            int xb = xo + b * 32;
            FloatVector w = values(off, 0);
            FloatVector t0 = w.mul(FloatVector.fromArray(FLOATS, x, xb));
            FloatVector t1 = w.mul(FloatVector.fromArray(FLOATS, x, x1 + xb));
            FloatVector t2 = w.mul(FloatVector.fromArray(FLOATS, x, x2 + xb));
            FloatVector t3 = w.mul(FloatVector.fromArray(FLOATS, x, x3 + xb));
            for (int v = 1; v < PER_BLOCK; v++) {
                w = values(off, v);
                int xv = xb + v * LENGTH;
                t0 = w.fma(FloatVector.fromArray(FLOATS, x, xv), t0);
                t1 = w.fma(FloatVector.fromArray(FLOATS, x, x1 + xv), t1);
                t2 = w.fma(FloatVector.fromArray(FLOATS, x, x2 + xv), t2);
                t3 = w.fma(FloatVector.fromArray(FLOATS, x, x3 + xv), t3);
            }
            FloatVector scale = FloatVector.broadcast(FLOATS, d);
            acc0 = t0.fma(scale, acc0);
            acc1 = t1.fma(scale, acc1);
            acc2 = t2.fma(scale, acc2);
            acc3 = t3.fma(scale, acc3);
        }
        acc0.intoArray(lanes, 0);
        acc1.intoArray(lanes, LENGTH);
        acc2.intoArray(lanes, 2 * LENGTH);
        acc3.intoArray(lanes, 3 * LENGTH);
        y[yo + row] = Lanes.sum(lanes, 0);
        y[yo + rows + row] = Lanes.sum(lanes, LENGTH);
        y[yo + 2 * rows + row] = Lanes.sum(lanes, 2 * LENGTH);
        y[yo + 3 * rows + row] = Lanes.sum(lanes, 3 * LENGTH);
    }

    @Override
    public void dequantize(int row, int count, int col, int width, float[] out, int offset) {
        int blocks = width / 32;
        int o = offset;
        for (int r = row; r < row + count; r++) {
            long off = rowOffset(r) + (long) (col / 32) * BLOCK_BYTES;
            for (int b = 0; b < blocks; b++, off += BLOCK_BYTES, o += 32) {
                FloatVector d = FloatVector.broadcast(FLOATS, Float.float16ToFloat(data.get(SCALE, off)));
                for (int v = 0; v < PER_BLOCK; v++) {
                    values(off, v).mul(d).intoArray(out, o + v * LENGTH);
                }
            }
        }
    }
}
