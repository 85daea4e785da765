package dev.engram.inference.gguf;

import dev.engram.inference.quant.RowFormat;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One tensor of a GGUF file: its name, type, shape in GGML order ({@code shape[0]} is the innermost
 * dimension, the length of a row; a PyTorch {@code [rows, cols]} weight is {@code [cols, rows]} here),
 * its offset in the file's data section, its size in bytes, and its bytes: a read-only slice of the
 * memory-mapped file, valid until the file is closed.
 */
public record GgufTensor(String name, GgmlType type, long[] shape, long offset, long byteSize, MemorySegment data) {

    public GgufTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of values. */
    public long elementCount() {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        return count;
    }

    /** Values per row: {@code shape[0]} (1 for a scalar). */
    public long rowLength() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Rows: the product of the outer dimensions. */
    public long rows() {
        long rowLength = rowLength();
        return rowLength == 0 ? 0 : elementCount() / rowLength;
    }

    /** How its rows are decoded; refused, naming the tensor and its type, for types this project cannot decode. */
    public RowFormat rowFormat() {
        return type.rowFormat()
                .orElseThrow(() -> new IllegalArgumentException("tensor '" + name + "' is " + type
                        + ", which is not supported (supported: " + Arrays.toString(RowFormat.values()) + ")"));
    }

    /** Decodes row {@code row} into {@code dst} (which holds at least {@link #rowLength()} values). */
    public void decodeRow(long row, float[] dst) {
        if (row < 0 || row >= rows()) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows() + " in tensor '" + name + "'");
        }
        RowFormat format = rowFormat();
        int length = Math.toIntExact(rowLength());
        format.decode(data, row * format.rowBytes(length), dst, 0, length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensor t
                && name.equals(t.name)
                && type == t.type
                && Arrays.equals(shape, t.shape)
                && offset == t.offset
                && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
