package dev.engram.tasks.classify;

/**
 * Scores to probabilities. Single-label: a softmax, so they sum to 1. Multi-label: each label on its
 * own through a logistic curve centred on the mean score of the set, so a label is above 0.5 exactly
 * when it scores above the average label.
 */
final class Probabilities {
    private Probabilities() {}

    static double[] softmax(double[] scores, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            max = Math.max(max, s);
        }
        double[] p = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            p[i] = Math.exp((scores[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static double[] independent(double[] scores, double temperature) {
        double mean = 0;
        for (double s : scores) {
            mean += s / scores.length;
        }
        double[] p = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            p[i] = 1 / (1 + Math.exp(-(scores[i] - mean) / temperature));
        }
        return p;
    }

    static double[] of(double[] scores, boolean multiLabel, double temperature) {
        return multiLabel ? independent(scores, temperature) : softmax(scores, temperature);
    }

    /** Best minus second best. */
    static double margin(double[] p) {
        double first = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (double v : p) {
            if (v > first) {
                second = first;
                first = v;
            } else if (v > second) {
                second = v;
            }
        }
        return first - second;
    }
}
