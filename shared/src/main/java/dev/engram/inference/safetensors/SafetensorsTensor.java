package dev.engram.inference.safetensors;

import dev.engram.inference.quant.RowFormat;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One tensor of a safetensors file: name, dtype, shape in PyTorch order (row-major, the last dimension
 * is the length of a row: a {@code Linear} weight is {@code [out, in]}), and its bytes, a read-only
 * slice of the memory-mapped file valid until the file is closed.
 */
public record SafetensorsTensor(String name, SafetensorsDtype dtype, long[] shape, MemorySegment data) {

    public SafetensorsTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long count = 1;
        for (long d : shape) {
            count = Math.multiplyExact(count, d);
        }
        return count;
    }

    /** Values per row: the last dimension (1 for a scalar). */
    public long rowLength() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /** Rows: the product of all but the last dimension. */
    public long rows() {
        long rowLength = rowLength();
        return rowLength == 0 ? 0 : elementCount() / rowLength;
    }

    /** How its values are decoded; refused, naming the tensor and its dtype, for dtypes other than F32/F16/BF16. */
    public RowFormat rowFormat() {
        return dtype.rowFormat()
                .orElseThrow(() -> new IllegalArgumentException(
                        "tensor '" + name + "' is " + dtype + ", which is not supported (supported: F32, F16, BF16)"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsTensor t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
