package dev.engram.testing;

import java.util.SplittableRandom;

/** Random unit-length vectors (Gaussian directions) for the vector-index tests. */
public final class UnitVectors {
    private UnitVectors() {}

    public static float[] random(SplittableRandom random, int dims) {
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dims; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }
}
