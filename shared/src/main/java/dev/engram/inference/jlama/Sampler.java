package dev.engram.inference.jlama;

import dev.engram.inference.Sampling;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from raw logits: temperature, then top-k, then top-p, then a draw from a
 * generator seeded per generation (so a seed reproduces the text exactly).
 */
final class Sampler {
    private final Sampling options;
    private final SplittableRandom random;
    private long[] order = new long[0];

    Sampler(Sampling options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
    }

    boolean greedy() {
        return options.greedy();
    }

    int next(float[] logits, int vocab) {
        if (options.greedy()) {
            return argmax(logits, vocab);
        }
        float max = logits[argmax(logits, vocab)];
        double[] probs = new double[vocab];
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            double p = Math.exp((logits[i] - max) / options.temperature());
            probs[i] = p;
            sum += p;
        }
        // Sort candidates by probability, most likely first. Probabilities are non-negative, so the
        // float bit pattern orders like the value and a (bits, index) long sorts as one primitive.
        if (order.length != vocab) {
            order = new long[vocab];
        }
        for (int i = 0; i < vocab; i++) {
            order[i] = ((long) Float.floatToIntBits((float) (probs[i] / sum)) << 32) | i;
        }
        Arrays.sort(order);
        int keep = options.topK() > 0 ? Math.min(options.topK(), vocab) : vocab;
        double topKMass = 0;
        for (int rank = 0; rank < keep; rank++) {
            topKMass += probs[index(vocab - 1 - rank)];
        }
        // Nucleus over the top-k set, renormalised: the smallest prefix reaching topP of its mass.
        double kept = 0;
        int cut = 0;
        while (cut < keep) {
            kept += probs[index(vocab - 1 - cut)];
            cut++;
            if (kept >= options.topP() * topKMass) {
                break;
            }
        }
        double target = random.nextDouble() * kept;
        double acc = 0;
        for (int rank = 0; rank < cut; rank++) {
            int token = index(vocab - 1 - rank);
            acc += probs[token];
            if (acc >= target) {
                return token;
            }
        }
        return index(vocab - cut);
    }

    private int index(int position) {
        return (int) order[position];
    }

    static int argmax(float[] logits, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
