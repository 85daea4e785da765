package dev.engram.inference.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockQuantTest {

    @Test
    void q8_0BlockLayoutIsScaleThenQuants() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) {
            x[j] = (j - 16) * 0.5f; // -8 .. 7.5
        }
        x[31] = 63.5f; // amax: d = 63.5 / 127 = 0.5 exactly, 1/d = 2
        x[1] = 0.25f; // 0.5 after scaling: rounds away from zero to 1
        x[2] = -0.25f; // -0.5: rounds to -1 (Math.round would give 0)
        byte[] expected = new byte[34];
        expected[0] = 0x00; // F16 0.5 = 0x3800, little-endian
        expected[1] = 0x38;
        for (int j = 0; j < 32; j++) {
            expected[2 + j] = (byte) ((j - 16) * 1);
        }
        expected[2 + 31] = 127;
        expected[2 + 1] = 1;
        expected[2 + 2] = -1;
        assertThat(quantize(RowFormat.Q8_0, x)).containsExactly(expected);
    }

    @Test
    void q4_0BlockLayoutIsScaleThenLowNibblesFirstHalf() {
        float[] x = new float[32];
        for (int j = 0; j < 16; j++) {
            x[j] = j - 8; // -8 .. 7: the largest magnitude is -8, so d = -8 / -8 = 1
            x[16 + j] = 7 - j; // 7 .. -8
        }
        byte[] expected = new byte[18];
        expected[0] = 0x00; // F16 1.0 = 0x3C00
        expected[1] = 0x3C;
        for (int j = 0; j < 16; j++) {
            expected[2 + j] = (byte) (j | (15 - j) << 4); // q = x + 8
        }
        assertThat(quantize(RowFormat.Q4_0, x)).containsExactly(expected);
    }

    @Test
    void q4_0TakesTheSignOfTheFirstLargestMagnitudeAndClampsItsOpposite() {
        float[] x = new float[32];
        x[3] = 8; // first of the two largest magnitudes: d = 8 / -8 = -1
        x[5] = -8; // -8 * (1/d) = 8, + 8.5 = 16.5: clamped to 15, reads back as 7
        byte[] bytes = quantize(RowFormat.Q4_0, x);
        assertThat(bytes[0]).isEqualTo((byte) 0x00);
        assertThat(bytes[1]).isEqualTo((byte) 0xBC); // F16 -1.0 = 0xBC00
        assertThat(bytes[2 + 3] & 0x0F).isEqualTo(0); // 8 * -1 + 8.5 = 0.5 -> 0, reads back (0 - 8) * -1 = 8
        assertThat(bytes[2 + 5] & 0x0F).isEqualTo(15);
        assertThat(bytes[2 + 0] & 0x0F).isEqualTo(8); // zero
        float[] back = dequantize(RowFormat.Q4_0, bytes, 32);
        assertThat(back[3]).isEqualTo(8f);
        assertThat(back[5]).isEqualTo(-7f);
        assertThat(back[0]).isEqualTo(0f);
    }

    @Test
    void zeroBlocksQuantiseToZeroScaleAndReadBackAsZeros() {
        float[] zeros = new float[64];
        byte[] q8 = quantize(RowFormat.Q8_0, zeros);
        assertThat(q8).containsOnly((byte) 0);
        byte[] q4 = quantize(RowFormat.Q4_0, zeros);
        for (int b = 0; b < 2; b++) {
            assertThat(q4[b * 18]).isZero(); // scale 0 / -8 = -0.0: F16 0x8000, as GGML writes it
            assertThat(q4[b * 18 + 1]).isEqualTo((byte) 0x80);
            for (int j = 2; j < 18; j++) {
                assertThat(q4[b * 18 + j]).isEqualTo((byte) 0x88); // q = (int) (0 + 8.5) = 8 in both nibbles
            }
        }
        assertAllZero(dequantize(RowFormat.Q8_0, q8, 64));
        assertAllZero(dequantize(RowFormat.Q4_0, q4, 64));
    }

    @Test
    void roundTripsStayWithinEachFormatsErrorBound() {
        Random random = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            float scale = (float) Math.pow(10, random.nextInt(9) - 5);
            float[] x = new float[32 * (1 + random.nextInt(8))];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian() * scale;
            }
            float[] q8 = dequantize(RowFormat.Q8_0, quantize(RowFormat.Q8_0, x), x.length);
            float[] q4 = dequantize(RowFormat.Q4_0, quantize(RowFormat.Q4_0, x), x.length);
            float[] f16 = dequantize(RowFormat.F16, quantize(RowFormat.F16, x), x.length);
            float[] bf16 = dequantize(RowFormat.BF16, quantize(RowFormat.BF16, x), x.length);
            float[] f32 = dequantize(RowFormat.F32, quantize(RowFormat.F32, x), x.length);
            assertThat(f32).containsExactly(x);
            for (int b = 0; b < x.length / 32; b++) {
                float amax = 0;
                for (int j = 0; j < 32; j++) {
                    amax = Math.max(amax, Math.abs(x[b * 32 + j]));
                }
                for (int j = b * 32; j < b * 32 + 32; j++) {
                    // half a step, plus the F16 rounding of the scale (relative, or absolute when
                    // subnormal) times the largest quant
                    float d8 = amax / 127;
                    assertThat(Math.abs(q8[j] - x[j])).isLessThanOrEqualTo(d8 / 2 + 127 * (d8 * 0x1p-11f + 0x1p-25f));
                    // one step at worst (the clamped opposite of the extreme), plus the scale's rounding
                    float d4 = amax / 8;
                    assertThat(Math.abs(q4[j] - x[j])).isLessThanOrEqualTo(d4 + 8 * (d4 * 0x1p-11f + 0x1p-25f));
                }
            }
            for (int i = 0; i < x.length; i++) {
                if (Math.abs(x[i]) > 1e-4f) { // F16 normal range
                    assertThat(Math.abs(f16[i] - x[i])).isLessThanOrEqualTo(Math.abs(x[i]) * 0x1p-11f);
                }
                assertThat(Math.abs(bf16[i] - x[i])).isLessThanOrEqualTo(Math.abs(x[i]) * 0x1p-8f);
            }
        }
    }

    @Test
    void oddValuesBehaveAsInGgml() {
        float[] x = new float[32];
        x[0] = -0.0f;
        x[1] = 1e-30f; // its scale underflows F16 to zero: the block reads back as zeros
        float[] back = dequantize(RowFormat.Q8_0, quantize(RowFormat.Q8_0, x), 32);
        assertAllZero(back);
        x[2] = 60000f; // near F16's maximum: scale 472.4 is representable
        back = dequantize(RowFormat.Q8_0, quantize(RowFormat.Q8_0, x), 32);
        assertThat(back[2]).isCloseTo(60000f, org.assertj.core.data.Offset.offset(300f));
        assertThat(back[1]).isZero();
        x[3] = Float.MAX_VALUE / 2; // scale beyond F16: infinite, as llama.cpp would write it
        byte[] bytes = quantize(RowFormat.Q8_0, x);
        assertThat(HalfFloat.f16ToFloat((short) ((bytes[0] & 0xFF) | bytes[1] << 8)))
                .isInfinite();
    }

    @Test
    void halfFloatConversionsRoundToNearestEven() {
        assertThat(HalfFloat.floatToBf16(1.0f)).isEqualTo((short) 0x3F80);
        assertThat(HalfFloat.floatToBf16(Float.intBitsToFloat(0x3F808000)))
                .isEqualTo((short) 0x3F80); // tie, even below
        assertThat(HalfFloat.floatToBf16(Float.intBitsToFloat(0x3F818000)))
                .isEqualTo((short) 0x3F82); // tie, even above
        assertThat(HalfFloat.floatToBf16(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
        assertThat(HalfFloat.bf16ToFloat(HalfFloat.floatToBf16(Float.NaN))).isNaN();
        assertThat(HalfFloat.bf16ToFloat(HalfFloat.floatToBf16(Float.NEGATIVE_INFINITY)))
                .isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(HalfFloat.bf16ToFloat((short) 0xC000)).isEqualTo(-2f);
        assertThat(HalfFloat.floatToF16(1.0f)).isEqualTo((short) 0x3C00);
        assertThat(HalfFloat.floatToF16(65520f)).isEqualTo((short) 0x7C00); // rounds up to infinity
        assertThat(HalfFloat.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f); // smallest subnormal
    }

    @Test
    void parallelMatrixConversionEqualsRowByRowQuantisation() {
        int rows = 301;
        int cols = 96;
        Random random = new Random(3);
        float[] matrix = new float[rows * cols];
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] = (float) random.nextGaussian();
        }
        try (Arena arena = Arena.ofShared()) { // the conversion runs on pool threads
            MemorySegment f32 = arena.allocate(RowFormat.F32.rowBytes(cols) * rows);
            RowFormat.F32.encode(matrix, 0, matrix.length, f32, 0);
            for (RowFormat target : RowFormat.values()) {
                MemorySegment converted = arena.allocate(target.rowBytes(cols) * rows);
                RowFormat.convertMatrix(RowFormat.F32, f32, target, converted, cols, rows);
                MemorySegment expected = arena.allocate(target.rowBytes(cols) * rows);
                for (int r = 0; r < rows; r++) {
                    target.encode(matrix, r * cols, cols, expected, r * target.rowBytes(cols));
                }
                assertThat(converted.mismatch(expected)).as(target.name()).isEqualTo(-1L);
            }
        }
    }

    @Test
    void partialBlocksAreRefusedWithTheFormatNamed() {
        assertThatThrownBy(() -> RowFormat.Q4_0.rowBytes(33))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Q4_0")
                .hasMessageContaining("33");
        assertThat(RowFormat.Q8_0.fits(64)).isTrue();
        assertThat(RowFormat.Q8_0.fits(48)).isFalse();
        assertThat(RowFormat.F16.rowBytes(3)).isEqualTo(6);
        assertThat(BlockQ8_0.bytes(64)).isEqualTo(68);
        assertThat(BlockQ4_0.bytes(64)).isEqualTo(36);
    }

    /** Zero of either sign (GGML's Q4_0 scale of a zero block is -0.0). */
    private static void assertAllZero(float[] values) {
        for (float v : values) {
            assertThat(v).isZero();
        }
    }

    private static byte[] quantize(RowFormat format, float[] x) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(format.rowBytes(x.length));
            format.encode(x, 0, x.length, out, 0);
            return out.toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static float[] dequantize(RowFormat format, byte[] bytes, int count) {
        float[] out = new float[count];
        format.decode(MemorySegment.ofArray(bytes), 0, out, 0, count);
        return out;
    }
}
