package dev.engram.inference.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The exponential of the per-token operations and SwiGLU built on it, against {@link Math#exp}; the
 * attention's weighted sum of rows against one multiply-add after another.
 */
class VectorOpsTest {

    @Test
    void expIsWithinAFewUnitsInTheLastPlaceOfMathExp() {
        for (float x = -87f; x <= 87f; x += 0.0137f) {
            double exact = Math.exp(x);
            assertThat((double) VectorOps.exp(x)).as("e^%s", x).isCloseTo(exact, offset(4.0 * Math.ulp((float) exact)));
        }
        assertThat(VectorOps.exp(0f)).isEqualTo(1f);
        assertThat(VectorOps.exp(-1000f))
                .as("limited to e^-87")
                .isEqualTo(VectorOps.exp(-87f))
                .isPositive();
        assertThat(VectorOps.exp(1000f))
                .as("limited to e^87")
                .isEqualTo(VectorOps.exp(87f))
                .isFinite();
    }

    @Test
    void expOfAVectorEqualsExpOfEachLaneBitForBit() {
        Random random = new Random(3);
        float[] x = new float[Lanes.LENGTH];
        float[] out = new float[Lanes.LENGTH];
        for (int round = 0; round < 2_000; round++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (random.nextGaussian() * (round % 2 == 0 ? 3 : 40));
            }
            VectorOps.exp(FloatVector.fromArray(Lanes.FLOATS, x, 0)).intoArray(out, 0);
            for (int i = 0; i < x.length; i++) {
                assertThat(Float.floatToRawIntBits(out[i]))
                        .as("lane %d, e^%s", i, x[i])
                        .isEqualTo(Float.floatToRawIntBits(VectorOps.exp(x[i])));
            }
        }
    }

    @Test
    void swiGluIsCloseToTheExactFormulaAndTheSameWhereverAValueLies() {
        Random random = new Random(5);
        int n = 5 * Lanes.LENGTH + 3;
        float[] gate = new float[n];
        float[] up = new float[n];
        for (int i = 0; i < n; i++) {
            gate[i] = (float) (random.nextGaussian() * 4);
            up[i] = (float) random.nextGaussian();
        }
        float[] whole = gate.clone();
        VectorOps.swiGlu(whole, up, 0, n);
        for (int i = 0; i < n; i++) {
            double exact = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
            assertThat((double) whole[i]).as("value %d", i).isCloseTo(exact, offset(1e-6 * Math.abs(exact) + 1e-30));
        }
        // Cut where the vectors fall differently: the same bits for every value.
        float[] cut = gate.clone();
        VectorOps.swiGlu(cut, up, 0, 3);
        VectorOps.swiGlu(cut, up, 3, n - 1);
        VectorOps.swiGlu(cut, up, n - 1, n);
        assertThat(cut).containsExactly(whole);
        assertThat(Arrays.equals(whole, gate)).isFalse();
    }

    @Test
    void weightedRowsEqualOneMultiplyAddAfterAnother() {
        Random random = new Random(7);
        int stride = 9 * Lanes.LENGTH + 5;
        // Four vectors at a time, single vectors, a scalar tail: every path with every row count.
        for (int n : new int[] {3, Lanes.LENGTH, 4 * Lanes.LENGTH, 6 * Lanes.LENGTH + 3, 9 * Lanes.LENGTH}) {
            for (int count : new int[] {1, 2, 17, 64}) {
                float[] rows = new float[1 + count * stride];
                float[] w = new float[count + 2];
                float[] out = new float[n + 4];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = (float) random.nextGaussian();
                }
                for (int j = 0; j < w.length; j++) {
                    w[j] = random.nextFloat();
                }
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) random.nextGaussian();
                }
                float[] expected = out.clone();
                for (int j = 0; j < count; j++) {
                    for (int i = 0; i < n; i++) {
                        expected[2 + i] = Math.fma(rows[1 + j * stride + i], w[2 + j], expected[2 + i]);
                    }
                }
                VectorOps.addScaledRows(out, 2, w, 2, rows, 1, stride, count, n);
                assertThat(out).as("%d values, %d rows", n, count).containsExactly(expected);
            }
        }
    }
}
