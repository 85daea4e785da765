package dev.engram.inference.quant;

/**
 * Conversions between {@code float} and the two 16-bit float formats of model files: IEEE half
 * precision (F16) and bfloat16 (BF16, the top half of a float). Float to half rounds to nearest,
 * ties to even, as GGML and PyTorch do.
 */
public final class HalfFloat {
    private HalfFloat() {}

    /** The float an F16 bit pattern stands for (exact). */
    public static float f16ToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** The nearest F16 (ties to even; overflow to infinity; NaN stays NaN). */
    public static short floatToF16(float value) {
        return Float.floatToFloat16(value);
    }

    /** The float a BF16 bit pattern stands for (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The nearest BF16 (ties to even); a NaN stays a (quiet) NaN instead of rounding to infinity. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }
}
