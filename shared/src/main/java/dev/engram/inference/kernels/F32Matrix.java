package dev.engram.inference.kernels;

import static dev.engram.inference.kernels.Lanes.FLOATS;
import static dev.engram.inference.kernels.Lanes.LENGTH;
import static dev.engram.inference.kernels.Lanes.ORDER;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/** 32-bit float weights, row after row, little-endian; any row length (a tail shorter than a vector is summed last). */
public record F32Matrix(MemorySegment data, int rows, int cols) implements WeightMatrix {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    public F32Matrix {
        if (data.byteSize() < bytesFor(rows, cols)) {
            throw new IllegalArgumentException("F32 data too short for " + rows + " x " + cols);
        }
    }

    public static long bytesFor(int rows, int cols) {
        return (long) rows * cols * Float.BYTES;
    }

    @Override
    public long bytes() {
        return bytesFor(rows, cols);
    }

    @Override
    public String format() {
        return "F32";
    }

    @Override
    public void decode(float[] x, float[] sums, int first, int tokens, float[] y, int from, int to) {
        int xo = first * cols;
        int yo = first * rows;
        switch (tokens) {
            case 1 -> {
                int r = from;
                for (; r + 1 < to; r += 2) {
                    dotRows2(r, x, xo, y, yo);
                }
                for (; r < to; r++) {
                    y[yo + r] = dot1(r, x, xo);
                }
            }
            case 2 -> {
                for (int r = from; r < to; r++) {
                    dot2(r, x, xo, y, yo);
                }
            }
            case 4 -> {
                for (int r = from; r < to; r++) {
                    dot2(r, x, xo, y, yo);
                    dot2(r, x, xo + 2 * cols, y, yo + 2 * rows);
                }
            }
            default -> throw new IllegalArgumentException("decode takes 1, 2 or 4 tokens, got " + tokens);
        }
    }

    private float dot1(int row, float[] x, int xo) {
        long base = (long) row * cols * Float.BYTES;
        int whole = cols - cols % LENGTH;
        FloatVector acc = FloatVector.zero(FLOATS);
        for (int i = 0; i < whole; i += LENGTH) {
            acc = FloatVector.fromMemorySegment(FLOATS, data, base + 4L * i, ORDER)
                    .fma(FloatVector.fromArray(FLOATS, x, xo + i), acc);
        }
        return finish(acc, base, x, xo, whole);
    }

    /**
     * Rows {@code row} and {@code row + 1} with one token, each summed exactly as {@link #dot1} sums it:
     * two independent chains of multiply-adds, so neither waits on the other's latency (one chain alone
     * kept a 512-bit core from reading at the memory's pace).
     */
    private void dotRows2(int row, float[] x, int xo, float[] y, int yo) {
        long base0 = (long) row * cols * Float.BYTES;
        long base1 = base0 + (long) cols * Float.BYTES;
        int whole = cols - cols % LENGTH;
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = acc0;
        for (int i = 0; i < whole; i += LENGTH) {
            FloatVector v = FloatVector.fromArray(FLOATS, x, xo + i);
            acc0 = FloatVector.fromMemorySegment(FLOATS, data, base0 + 4L * i, ORDER)
                    .fma(v, acc0);
            acc1 = FloatVector.fromMemorySegment(FLOATS, data, base1 + 4L * i, ORDER)
                    .fma(v, acc1);
        }
        y[yo + row] = finish(acc0, base0, x, xo, whole);
        y[yo + row + 1] = finish(acc1, base1, x, xo, whole);
    }

    /** A row's sum: its vector lanes, then the tail shorter than a vector. */
    private float finish(FloatVector acc, long base, float[] x, int xo, int whole) {
        float sum = Lanes.sum(acc);
        for (int i = whole; i < cols; i++) {
            sum += data.get(FLOAT, base + 4L * i) * x[xo + i];
        }
        return sum;
    }

    private void dot2(int row, float[] x, int xo, float[] y, int yo) {
        long base = (long) row * cols * Float.BYTES;
        int whole = cols - cols % LENGTH;
        FloatVector acc0 = FloatVector.zero(FLOATS);
        FloatVector acc1 = acc0;
        for (int i = 0; i < whole; i += LENGTH) {
            FloatVector w = FloatVector.fromMemorySegment(FLOATS, data, base + 4L * i, ORDER);
            acc0 = w.fma(FloatVector.fromArray(FLOATS, x, xo + i), acc0);
            acc1 = w.fma(FloatVector.fromArray(FLOATS, x, xo + cols + i), acc1);
        }
        y[yo + row] = finish(acc0, base, x, xo, whole);
        y[yo + rows + row] = finish(acc1, base, x, xo + cols, whole);
    }

    @Override
    public void dequantize(int row, int count, int col, int width, float[] out, int offset) {
        for (int r = 0; r < count; r++) {
            long from = ((long) (row + r) * cols + col) * Float.BYTES;
            MemorySegment.copy(data, FLOAT, from, out, offset + r * width, width);
        }
    }
}
