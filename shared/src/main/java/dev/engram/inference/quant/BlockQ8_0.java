package dev.engram.inference.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * GGML's Q8_0 block quantisation: blocks of 32 values, each stored as an F16 scale {@code d = amax / 127}
 * followed by 32 signed bytes {@code q = round(x / d)} (34 bytes); a value reads back as {@code q * d}.
 * The rounding follows GGML's reference quantiser exactly (multiply by the float reciprocal of the
 * unrounded scale, round half away from zero), so the bytes equal llama.cpp's for the same floats.
 */
public final class BlockQ8_0 {
    /** Values per block. */
    public static final int BLOCK_SIZE = 32;
    /** Bytes per block: the F16 scale and 32 quants. */
    public static final int BLOCK_BYTES = 2 + BLOCK_SIZE;

    private BlockQ8_0() {}

    /** Bytes that {@code count} values take (a multiple of {@link #BLOCK_SIZE}). */
    public static long bytes(long count) {
        return Blocks.count(count, BLOCK_SIZE, "Q8_0") * BLOCK_BYTES;
    }

    /** Quantises {@code src[srcOffset, srcOffset + count)} into {@code dst} from {@code dstOffset}. */
    public static void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
        long blocks = Blocks.count(count, BLOCK_SIZE, "Q8_0");
        for (int b = 0; b < blocks; b++) {
            int from = srcOffset + b * BLOCK_SIZE;
            long out = dstOffset + (long) b * BLOCK_BYTES;
            float amax = 0;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                amax = Math.max(amax, Math.abs(src[from + j]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            dst.set(LittleEndian.SHORT, out, HalfFloat.floatToF16(d));
            for (int j = 0; j < BLOCK_SIZE; j++) {
                dst.set(ValueLayout.JAVA_BYTE, out + 2 + j, (byte) Blocks.roundHalfAway(src[from + j] * id));
            }
        }
    }

    /** Dequantises {@code count} values starting at {@code srcOffset} of {@code src} into {@code dst}. */
    public static void dequantize(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        long blocks = Blocks.count(count, BLOCK_SIZE, "Q8_0");
        for (int b = 0; b < blocks; b++) {
            long in = srcOffset + (long) b * BLOCK_BYTES;
            float d = HalfFloat.f16ToFloat(src.get(LittleEndian.SHORT, in));
            int to = dstOffset + b * BLOCK_SIZE;
            for (int j = 0; j < BLOCK_SIZE; j++) {
                dst[to + j] = src.get(ValueLayout.JAVA_BYTE, in + 2 + j) * d;
            }
        }
    }
}
