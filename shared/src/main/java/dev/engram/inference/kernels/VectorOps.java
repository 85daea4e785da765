package dev.engram.inference.kernels;

import static dev.engram.inference.kernels.Lanes.FLOATS;
import static dev.engram.inference.kernels.Lanes.LENGTH;

import jdk.incubator.vector.FloatVector;

/**
 * The small per-token operations between matrix products. Like the products, each gives the same bits
 * interpreted or compiled: lanes are summed with {@link Lanes#sum} and exponentials come from
 * {@link Math#exp}, never from the Vector API's approximations.
 */
public final class VectorOps {
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

    /** {@code gate[i] = silu(gate[i]) · up[i]} for {@code i} in {@code [from, to)}: SwiGLU. */
    public static void swiGlu(float[] gate, float[] up, int from, int to) {
        for (int i = from; i < to; i++) {
            float g = gate[i];
            gate[i] = (float) (g / (1.0 + Math.exp(-g))) * up[i];
        }
    }

    /** {@code out[oo + i] += p · v[vo + i]} for {@code i < n}. */
    public static void addScaled(float[] out, int oo, float p, float[] v, int vo, int n) {
        int whole = n - n % LENGTH;
        FloatVector pv = FloatVector.broadcast(FLOATS, p);
        for (int i = 0; i < whole; i += LENGTH) {
            FloatVector.fromArray(FLOATS, v, vo + i)
                    .fma(pv, FloatVector.fromArray(FLOATS, out, oo + i))
                    .intoArray(out, oo + i);
        }
        for (int i = whole; i < n; i++) {
            out[oo + i] = Math.fma(v[vo + i], p, out[oo + i]);
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
