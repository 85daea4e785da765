package dev.engram.inference.quant;

import java.lang.foreign.MemorySegment;
import java.util.function.LongUnaryOperator;
import java.util.stream.LongStream;

/**
 * How one row of a weight matrix is stored: plain floats (F32), 16-bit floats (F16, BF16) or GGML
 * blocks (Q8_0, Q4_0). Encodes float rows into that layout and decodes them back, and converts whole
 * matrices between layouts row range by row range, so a matrix can be split over threads and never
 * needs to sit in memory as floats.
 */
public enum RowFormat {
    F32(1, 4),
    F16(1, 2),
    BF16(1, 2),
    Q8_0(BlockQ8_0.BLOCK_SIZE, BlockQ8_0.BLOCK_BYTES),
    Q4_0(BlockQ4_0.BLOCK_SIZE, BlockQ4_0.BLOCK_BYTES);

    /** Rows per task when a matrix is converted in parallel: large enough to amortise the task. */
    private static final long ROWS_PER_TASK = 64;

    private final int blockSize;
    private final int blockBytes;

    RowFormat(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Values per block (1 for the float formats). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** Whether a row of {@code length} values fills whole blocks of this format. */
    public boolean fits(long length) {
        return length > 0 && length % blockSize == 0;
    }

    /** Bytes of a row of {@code length} values; the length must fill whole blocks. */
    public long rowBytes(long length) {
        return Blocks.count(length, blockSize, name()) * blockBytes;
    }

    /** Writes {@code src[offset, offset + length)} in this format into {@code dst} at {@code dstOffset}. */
    public void encode(float[] src, int offset, int length, MemorySegment dst, long dstOffset) {
        switch (this) {
            case F32 -> MemorySegment.copy(src, offset, dst, LittleEndian.FLOAT, dstOffset, length);
            case F16 -> {
                for (int i = 0; i < length; i++) {
                    dst.set(LittleEndian.SHORT, dstOffset + 2L * i, HalfFloat.floatToF16(src[offset + i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < length; i++) {
                    dst.set(LittleEndian.SHORT, dstOffset + 2L * i, HalfFloat.floatToBf16(src[offset + i]));
                }
            }
            case Q8_0 -> BlockQ8_0.quantize(src, offset, length, dst, dstOffset);
            case Q4_0 -> BlockQ4_0.quantize(src, offset, length, dst, dstOffset);
        }
    }

    /** Reads {@code length} values stored in this format at {@code srcOffset} of {@code src} into {@code dst}. */
    public void decode(MemorySegment src, long srcOffset, float[] dst, int offset, int length) {
        switch (this) {
            case F32 -> MemorySegment.copy(src, LittleEndian.FLOAT, srcOffset, dst, offset, length);
            case F16 -> {
                for (int i = 0; i < length; i++) {
                    dst[offset + i] = HalfFloat.f16ToFloat(src.get(LittleEndian.SHORT, srcOffset + 2L * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < length; i++) {
                    dst[offset + i] = HalfFloat.bf16ToFloat(src.get(LittleEndian.SHORT, srcOffset + 2L * i));
                }
            }
            case Q8_0 -> BlockQ8_0.dequantize(src, srcOffset, dst, offset, length);
            case Q4_0 -> BlockQ4_0.dequantize(src, srcOffset, dst, offset, length);
        }
    }

    /**
     * Converts rows {@code [firstRow, endRow)} of a matrix stored in {@code from} layout in {@code src}
     * into {@code to} layout in {@code dst} (row {@code i} at {@code i * rowBytes} in each). Calls on
     * disjoint row ranges touch disjoint bytes, so they may run on different threads.
     */
    public static void convertRows(
            RowFormat from,
            MemorySegment src,
            RowFormat to,
            MemorySegment dst,
            int rowLength,
            long firstRow,
            long endRow) {
        convertRows(from, src, to, dst, rowLength, firstRow, endRow, LongUnaryOperator.identity());
    }

    /** {@link #convertRows}, with destination row {@code r} taken from source row {@code sourceRow(r)} (a row permutation). */
    public static void convertRows(
            RowFormat from,
            MemorySegment src,
            RowFormat to,
            MemorySegment dst,
            int rowLength,
            long firstRow,
            long endRow,
            LongUnaryOperator sourceRow) {
        long srcRowBytes = from.rowBytes(rowLength);
        long dstRowBytes = to.rowBytes(rowLength);
        float[] row = new float[rowLength];
        for (long r = firstRow; r < endRow; r++) {
            from.decode(src, sourceRow.applyAsLong(r) * srcRowBytes, row, 0, rowLength);
            to.encode(row, 0, rowLength, dst, r * dstRowBytes);
        }
    }

    /** {@link #convertRows} over all {@code rows} rows, in parallel on the common fork-join pool. */
    public static void convertMatrix(
            RowFormat from, MemorySegment src, RowFormat to, MemorySegment dst, int rowLength, long rows) {
        convertMatrix(from, src, to, dst, rowLength, rows, LongUnaryOperator.identity());
    }

    /** {@link #convertMatrix} with a row permutation, as in {@link #convertRows(RowFormat, MemorySegment, RowFormat, MemorySegment, int, long, long, LongUnaryOperator)}. */
    public static void convertMatrix(
            RowFormat from,
            MemorySegment src,
            RowFormat to,
            MemorySegment dst,
            int rowLength,
            long rows,
            LongUnaryOperator sourceRow) {
        long tasks = (rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
        LongStream.range(0, tasks)
                .parallel()
                .forEach(t -> convertRows(
                        from,
                        src,
                        to,
                        dst,
                        rowLength,
                        t * ROWS_PER_TASK,
                        Math.min(rows, (t + 1) * ROWS_PER_TASK),
                        sourceRow));
    }
}
