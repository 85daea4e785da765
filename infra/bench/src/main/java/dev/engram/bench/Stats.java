package dev.engram.bench;

import java.util.Arrays;
import java.util.List;

/** A figure over repeated runs: median and spread, never a single sample. */
public record Stats(double median, double min, double max, double p95, int n) {

    public static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double[] sorted =
                samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Stats(
                quantile(sorted, 0.5), sorted[0], sorted[sorted.length - 1], quantile(sorted, 0.95), sorted.length);
    }

    public static Stats of(double... samples) {
        return of(Arrays.stream(samples).boxed().toList());
    }

    /** Linear interpolation between the closest ranks. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** Relative spread, (max - min) / median, to say how noisy a figure was. */
    public double spread() {
        return median == 0 ? 0 : (max - min) / Math.abs(median);
    }
}
