package dev.engram.inference.kernels;

import static dev.engram.inference.kernels.Lanes.FLOATS;
import static dev.engram.inference.kernels.Lanes.LENGTH;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The small per-token operations between matrix products. Like the products, each gives the same bits
 * interpreted or compiled: lanes are summed with {@link Lanes#sum} and exponentials come from
 * {@link Math#exp} or {@link #exp}, never from the Vector API's own approximations.
 */
public final class VectorOps {
    private static final float EXP_LIMIT = 87f;
    private static final float LOG2E = 1.44269504f;
    private static final float LN2_HIGH = 0.693145752f;
    private static final float LN2_LOW = 1.42860677e-6f;
    /** Added and taken away again, rounds to an integer: 1.5 · 2^23. */
    private static final float ROUND = 12582912f;

    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    /** 1/k! for k = 7 down to 2: Taylor's series, within a few units in the last place for |r| ≤ ln 2 / 2. */
    private static final float[] TAYLOR = {1f / 5040, 1f / 720, 1f / 120, 1f / 24, 1f / 6, 1f / 2};

    private VectorOps() {}

    /** {@code Σ a[ao + i] · b[bo + i]} for {@code i < n}: vector lanes first, then the tail in order. */
    public static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int whole = n - n % LENGTH;
        FloatVector acc = FloatVector.zero(FLOATS);
        for (int i = 0; i < whole; i += LENGTH) {
            acc = FloatVector.fromArray(FLOATS, a, ao + i).fma(FloatVector.fromArray(FLOATS, b, bo + i), acc);
        }
        float sum = Lanes.sum(acc);
        for (int i = whole; i < n; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    /** {@code out[oo..] = x[xo..] / rms(x) · weight}, RMS over {@code n} values plus {@code eps}. */
    public static void rmsNorm(float[] x, int xo, float[] weight, float eps, float[] out, int oo, int n) {
        float meanSquare = dot(x, xo, x, xo, n) / n + eps;
        float scale = (float) (1.0 / Math.sqrt(meanSquare));
        int whole = n - n % LENGTH;
        FloatVector s = FloatVector.broadcast(FLOATS, scale);
        for (int i = 0; i < whole; i += LENGTH) {
            FloatVector.fromArray(FLOATS, x, xo + i)
                    .mul(s)
                    .mul(FloatVector.fromArray(FLOATS, weight, i))
                    .intoArray(out, oo + i);
        }
        for (int i = whole; i < n; i++) {
            out[oo + i] = x[xo + i] * scale * weight[i];
        }
    }

    /** {@code x[i] += y[i]} for {@code i < n}. */
    public static void add(float[] x, float[] y, int n) {
        int whole = n - n % LENGTH;
        for (int i = 0; i < whole; i += LENGTH) {
            FloatVector.fromArray(FLOATS, x, i)
                    .add(FloatVector.fromArray(FLOATS, y, i))
                    .intoArray(x, i);
        }
        for (int i = whole; i < n; i++) {
            x[i] += y[i];
        }
    }

    /**
     * {@code gate[i] = silu(gate[i]) · up[i]} for {@code i} in {@code [from, to)}: SwiGLU, with
     * {@code silu(g) = g / (1 + e^-g)}. The exponential is {@link #exp}'s, lane by lane, the tail with the
     * same operations one value at a time, so a value's result does not depend on where it lies.
     */
    public static void swiGlu(float[] gate, float[] up, int from, int to) {
        int i = from;
        FloatVector one = FloatVector.broadcast(FLOATS, 1f);
        for (; to - i >= LENGTH; i += LENGTH) {
            FloatVector g = FloatVector.fromArray(FLOATS, gate, i);
            g.div(one.add(exp(g.neg())))
                    .mul(FloatVector.fromArray(FLOATS, up, i))
                    .intoArray(gate, i);
        }
        for (; i < to; i++) {
            float g = gate[i];
            gate[i] = g / (1f + exp(-g)) * up[i];
        }
    }

    /**
     * e^x, x limited to ±87, from exact IEEE operations only (add, multiply, fused multiply-add, bit
     * moves): {@code x = n·ln 2 + r}, a polynomial for e^r, and 2^n put into the exponent. The Vector
     * API's own exponential differs between compiled and interpreted code; this gives the same bits in
     * both, and in {@link #exp(float)}.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector v = x.max(-EXP_LIMIT).min(EXP_LIMIT);
        FloatVector shifted = v.fma(FloatVector.broadcast(FLOATS, LOG2E), FloatVector.broadcast(FLOATS, ROUND));
        FloatVector n = shifted.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(FLOATS, -LN2_HIGH), v);
        r = n.fma(FloatVector.broadcast(FLOATS, -LN2_LOW), r);
        FloatVector p = FloatVector.broadcast(FLOATS, TAYLOR[0]);
        for (int k = 1; k < TAYLOR.length; k++) {
            p = p.fma(r, FloatVector.broadcast(FLOATS, TAYLOR[k]));
        }
        p = p.fma(r, FloatVector.broadcast(FLOATS, 1f)).fma(r, FloatVector.broadcast(FLOATS, 1f));
        IntVector bits = shifted.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /** {@link #exp(FloatVector)} for one value, operation for operation. */
    static float exp(float x) {
        float v = Math.min(Math.max(x, -EXP_LIMIT), EXP_LIMIT);
        float shifted = Math.fma(v, LOG2E, ROUND);
        float n = shifted - ROUND;
        float r = Math.fma(n, -LN2_HIGH, v);
        r = Math.fma(n, -LN2_LOW, r);
        float p = TAYLOR[0];
        for (int k = 1; k < TAYLOR.length; k++) {
            p = Math.fma(p, r, TAYLOR[k]);
        }
        p = Math.fma(Math.fma(p, r, 1f), r, 1f);
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - (ROUND_BITS - 127)) << 23);
    }

    /**
     * {@code out[oo + i] += Σ_j w[wo + j] · rows[ro + j · stride + i]} for {@code i < n} and {@code j <
     * count}, each element's products added in the order of {@code j}, as {@code count} single
     * multiply-adds would. Four vectors of {@code out} stay in registers while the rows go by, so a row's
     * products do not wait for the last row's to be stored.
     */
    public static void addScaledRows(
            float[] out, int oo, float[] w, int wo, float[] rows, int ro, int stride, int count, int n) {
        int whole = n - n % LENGTH;
        int i = 0;
        for (; i + 4 * LENGTH <= whole; i += 4 * LENGTH) {
            FloatVector a0 = FloatVector.fromArray(FLOATS, out, oo + i);
            FloatVector a1 = FloatVector.fromArray(FLOATS, out, oo + i + LENGTH);
            FloatVector a2 = FloatVector.fromArray(FLOATS, out, oo + i + 2 * LENGTH);
            FloatVector a3 = FloatVector.fromArray(FLOATS, out, oo + i + 3 * LENGTH);
            for (int j = 0; j < count; j++) {
                FloatVector p = FloatVector.broadcast(FLOATS, w[wo + j]);
                int r = ro + j * stride + i;
                a0 = FloatVector.fromArray(FLOATS, rows, r).fma(p, a0);
                a1 = FloatVector.fromArray(FLOATS, rows, r + LENGTH).fma(p, a1);
                a2 = FloatVector.fromArray(FLOATS, rows, r + 2 * LENGTH).fma(p, a2);
                a3 = FloatVector.fromArray(FLOATS, rows, r + 3 * LENGTH).fma(p, a3);
            }
            a0.intoArray(out, oo + i);
            a1.intoArray(out, oo + i + LENGTH);
            a2.intoArray(out, oo + i + 2 * LENGTH);
            a3.intoArray(out, oo + i + 3 * LENGTH);
        }
        for (; i < whole; i += LENGTH) {
            FloatVector a = FloatVector.fromArray(FLOATS, out, oo + i);
            for (int j = 0; j < count; j++) {
                a = FloatVector.fromArray(FLOATS, rows, ro + j * stride + i)
                        .fma(FloatVector.broadcast(FLOATS, w[wo + j]), a);
            }
            a.intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float a = out[oo + i];
            for (int j = 0; j < count; j++) {
                a = Math.fma(rows[ro + j * stride + i], w[wo + j], a);
            }
            out[oo + i] = a;
        }
    }

    /** Index of the largest of {@code x[0..n)} (the first on a tie). */
    public static int argmax(float[] x, int offset, int n) {
        int best = 0;
        float max = x[offset];
        for (int i = 1; i < n; i++) {
            if (x[offset + i] > max) {
                max = x[offset + i];
                best = i;
            }
        }
        return best;
    }
}
