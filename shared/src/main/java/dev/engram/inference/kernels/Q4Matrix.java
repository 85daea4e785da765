package dev.engram.inference.kernels;

import static dev.engram.inference.kernels.Lanes.BYTES_16;
import static dev.engram.inference.kernels.Lanes.FLOATS;
import static dev.engram.inference.kernels.Lanes.INTS;
import static dev.engram.inference.kernels.Lanes.LENGTH;
import static dev.engram.inference.kernels.Lanes.ORDER;
import static dev.engram.inference.kernels.Lanes.PER_BLOCK;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * 4-bit weights in GGML's Q4_0 layout: blocks of 32 values, each an fp16 scale {@code d} and 16
 * bytes whose low nibbles are values 0-15 and high nibbles values 16-31; a value is
 * {@code (q - 8) · d}. The decode kernel multiplies the unsigned nibbles and subtracts
 * {@code 8 · d · Σx} once per block (the input's {@link WeightMatrix#blockSums}), which saves two
 * vector operations per block.
 *
 * <p>{@code panels} is the same matrix rearranged for the native kernels ({@link NativeKernels#pack}),
 * or {@link MemorySegment#NULL}; {@code data} stays the matrix for everything else.
 */
public record Q4Matrix(MemorySegment data, int rows, int cols, MemorySegment panels) implements WeightMatrix {
    public static final int BLOCK_BYTES = 18;
    private static final ValueLayout.OfShort SCALE = ValueLayout.JAVA_SHORT_UNALIGNED;
    /** Float vectors of one block holding low nibbles; the rest hold high nibbles. */
    private static final int LOW = PER_BLOCK / 2;

    public Q4Matrix(MemorySegment data, int rows, int cols) {
        this(data, rows, cols, MemorySegment.NULL);
    }

    public Q4Matrix {
        if (cols % 32 != 0) {
            throw new IllegalArgumentException("Q4_0 rows must be a multiple of 32 values, got " + cols);
        }
        if (data.byteSize() < (long) rows * (cols / 32) * BLOCK_BYTES) {
            throw new IllegalArgumentException("Q4_0 data too short for " + rows + " x " + cols);
        }
        if (!panels.equals(MemorySegment.NULL) && panels.byteSize() < panelBytes(rows, cols)) {
            throw new IllegalArgumentException("Q4_0 panels too short for " + rows + " x " + cols);
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
        return "Q4_0";
    }

    @Override
    public boolean needsBlockSums() {
        return true;
    }

    private long rowOffset(int row) {
        return (long) row * (cols / 32) * BLOCK_BYTES;
    }

    /** Values {@code v·LENGTH ..} of a block as floats, unsigned (0..15). */
    private static FloatVector nibbles(ByteVector packed, int v) {
        IntVector q = (IntVector) packed.convertShape(VectorOperators.B2I, INTS, v % LOW);
        IntVector n = v < LOW ? q.and(15) : q.lanewise(VectorOperators.ASHR, 4).and(15);
        return (FloatVector) n.convertShape(VectorOperators.I2F, FLOATS, 0);
    }

    @Override
    public void decode(float[] x, float[] sums, int first, int tokens, float[] y, int from, int to) {
        int r = from;
        int xo = first * cols;
        int so = first * (cols / 32);
        int yo = first * rows;
        switch (tokens) {
            case 1 -> {
                for (; r < to; r++) {
                    y[yo + r] = dot1(r, x, xo, sums, so);
                }
            }
            case 2 -> {
                for (; r < to; r++) {
                    dot2(r, x, xo, sums, so, y, yo);
                }
            }
            case 4 -> {
                float[] lanes = new float[4 * LENGTH];
                for (; r < to; r++) {
                    dot4(r, x, xo, sums, so, y, yo, lanes);
                }
            }
            default -> throw new IllegalArgumentException("decode takes 1, 2 or 4 tokens, got " + tokens);
        }
    }

    private float dot1(int row, float[] x, int xo, float[] sums, int so) {
        int blocks = cols / 32;
        long off = rowOffset(row);
        FloatVector acc = FloatVector.zero(FLOATS);
        float correction = 0;
        for (int b = 0; b < blocks; b++, off += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SCALE, off));
            ByteVector packed = ByteVector.fromMemorySegment(BYTES_16, data, off + 2, ORDER);
            int xb = xo + b * 32;
            FloatVector t = nibbles(packed, 0).mul(FloatVector.fromArray(FLOATS, x, xb));
            for (int v = 1; v < PER_BLOCK; v++) {
                t = nibbles(packed, v).fma(FloatVector.fromArray(FLOATS, x, xb + v * LENGTH), t);
            }
            acc = t.fma(FloatVector.broadcast(FLOATS, d), acc);
            correction += d * sums[so + b];
        }
        return Lanes.sum(acc) - correction;
    }

    private void dot2(int row, float[] x, int xo, float[] sums, int so, float[] y, int yo) {
        int blocks = cols / 32;
        long off = rowOffset(row);
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = acc0;
        float c0 = 0;
        float c1 = 0;
        int x1 = cols;
        for (int b = 0; b < blocks; b++, off += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SCALE, off));
            ByteVector packed = ByteVector.fromMemorySegment(BYTES_16, data, off + 2, ORDER);
            int xb = xo + b * 32;
            FloatVector w = nibbles(packed, 0);
            FloatVector t0 = w.mul(FloatVector.fromArray(FLOATS, x, xb));
            FloatVector t1 = w.mul(FloatVector.fromArray(FLOATS, x, x1 + xb));
            for (int v = 1; v < PER_BLOCK; v++) {
                w = nibbles(packed, v);
                t0 = w.fma(FloatVector.fromArray(FLOATS, x, xb + v * LENGTH), t0);
                t1 = w.fma(FloatVector.fromArray(FLOATS, x, x1 + xb + v * LENGTH), t1);
            }
            FloatVector scale = FloatVector.broadcast(FLOATS, d);
            acc0 = t0.fma(scale, acc0);
            acc1 = t1.fma(scale, acc1);
            c0 += d * sums[so + b];
            c1 += d * sums[so + blocks + b];
        }
        y[yo + row] = Lanes.sum(acc0) - c0;
        y[yo + rows + row] = Lanes.sum(acc1) - c1;
    }

    private void dot4(int row, float[] x, int xo, float[] sums, int so, float[] y, int yo, float[] lanes) {
        int blocks = cols / 32;
        long off = rowOffset(row);
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        float c0 = 0;
        float c1 = 0;
        float c2 = 0;
        float c3 = 0;
        int x1 = cols;
        int x2 = 2 * cols;
        int x3 = 3 * cols;
        for (int b = 0; b < blocks; b++, off += BLOCK_BYTES) {
            float d = Float.float16ToFloat(data.get(SCALE, off));
            ByteVector packed = ByteVector.fromMemorySegment(BYTES_16, data, off + 2, ORDER);
            int xb = xo + b * 32;
            FloatVector w = nibbles(packed, 0);
            FloatVector t0 = w.mul(FloatVector.fromArray(FLOATS, x, xb));
            FloatVector t1 = w.mul(FloatVector.fromArray(FLOATS, x, x1 + xb));
            FloatVector t2 = w.mul(FloatVector.fromArray(FLOATS, x, x2 + xb));
            FloatVector t3 = w.mul(FloatVector.fromArray(FLOATS, x, x3 + xb));
            for (int v = 1; v < PER_BLOCK; v++) {
                w = nibbles(packed, v);
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
            c0 += d * sums[so + b];
            c1 += d * sums[so + blocks + b];
            c2 += d * sums[so + 2 * blocks + b];
            c3 += d * sums[so + 3 * blocks + b];
        }
        acc0.intoArray(lanes, 0);
        acc1.intoArray(lanes, LENGTH);
        acc2.intoArray(lanes, 2 * LENGTH);
        acc3.intoArray(lanes, 3 * LENGTH);
        y[yo + row] = Lanes.sum(lanes, 0) - c0;
        y[yo + rows + row] = Lanes.sum(lanes, LENGTH) - c1;
        y[yo + 2 * rows + row] = Lanes.sum(lanes, 2 * LENGTH) - c2;
        y[yo + 3 * rows + row] = Lanes.sum(lanes, 3 * LENGTH) - c3;
    }

    @Override
    public void dequantize(int row, int count, int col, int width, float[] out, int offset) {
        int blocks = width / 32;
        int o = offset;
        for (int r = row; r < row + count; r++) {
            long off = rowOffset(r) + (long) (col / 32) * BLOCK_BYTES;
            for (int b = 0; b < blocks; b++, off += BLOCK_BYTES, o += 32) {
                FloatVector d = FloatVector.broadcast(FLOATS, Float.float16ToFloat(data.get(SCALE, off)));
                FloatVector eight = FloatVector.broadcast(FLOATS, 8f);
                ByteVector packed = ByteVector.fromMemorySegment(BYTES_16, data, off + 2, ORDER);
                for (int v = 0; v < PER_BLOCK; v++) {
                    nibbles(packed, v).sub(eight).mul(d).intoArray(out, o + v * LENGTH);
                }
            }
        }
    }
}
