package dev.engram.inference.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * GGML's Q4_0 block quantisation: blocks of 32 values, each stored as an F16 scale
 * {@code d = m / -8} ({@code m} the value of largest magnitude, with its sign) followed by 16 bytes of
 * 4-bit quants {@code q = min(15, (int) (x / d + 8.5))}: the low nibbles hold elements 0..15, the high
 * nibbles elements 16..31 (18 bytes); a value reads back as {@code (q - 8) * d}. The arithmetic follows
 * GGML's reference quantiser, so the bytes equal llama.cpp's for the same floats.
 */
public final class BlockQ4_0 {
    /** Values per block. */
    public static final int BLOCK_SIZE = 32;
    /** Bytes per block: the F16 scale and 16 bytes of nibbles. */
    public static final int BLOCK_BYTES = 2 + BLOCK_SIZE / 2;

    private static final int HALF = BLOCK_SIZE / 2;

    private BlockQ4_0() {}

    /** Bytes that {@code count} values take (a multiple of {@link #BLOCK_SIZE}). */
    public static long bytes(long count) {
        return Blocks.count(count, BLOCK_SIZE, "Q4_0") * BLOCK_BYTES;
    }

    /** Quantises {@code src[srcOffset, srcOffset + count)} into {@code dst} from {@code dstOffset}. */
    public static void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
        long blocks = Blocks.count(count, BLOCK_SIZE, "Q4_0");
        for (int b = 0; b < blocks; b++) {
            int from = srcOffset + b * BLOCK_SIZE;
            long out = dstOffset + (long) b * BLOCK_BYTES;
            float amax = 0;
            float max = 0;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                float v = src[from + j];
                if (amax < Math.abs(v)) { // the first of equal magnitudes wins, as in GGML
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(LittleEndian.SHORT, out, HalfFloat.floatToF16(d));
            for (int j = 0; j < HALF; j++) {
                int low = Math.min(15, (int) (src[from + j] * id + 8.5f));
                int high = Math.min(15, (int) (src[from + HALF + j] * id + 8.5f));
                dst.set(ValueLayout.JAVA_BYTE, out + 2 + j, (byte) (low | high << 4));
            }
        }
    }

    /** Dequantises {@code count} values starting at {@code srcOffset} of {@code src} into {@code dst}. */
    public static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        long blocks = Blocks.count(count, BLOCK_SIZE, "Q4_0");
        for (int b = 0; b < blocks; b++) {
            long in = srcOffset + (long) b * BLOCK_BYTES;
            float d = HalfFloat.f16ToFloat(src.get(LittleEndian.SHORT, in));
            int to = dstOffset + b * BLOCK_SIZE;
            for (int j = 0; j < HALF; j++) {
                int packed = src.get(ValueLayout.JAVA_BYTE, in + 2 + j) & 0xFF;
                dst[to + j] = ((packed & 0x0F) - 8) * d;
                dst[to + HALF + j] = ((packed >>> 4) - 8) * d;
            }
        }
    }
}
