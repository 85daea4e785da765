package dev.engram.inference.decoding;

import dev.engram.inference.Sampling;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of raw logits: greedy (argmax, the first on a tie) or a draw after
 * temperature, top-k and top-p, from a generator seeded per generation so a seed reproduces a text.
 *
 * <p>A draw only looks at tokens within {@link #CUTOFF} of the best logit (after temperature): the
 * rest have a probability below e^-30 each, together less than a millionth with the largest
 * vocabularies, so sorting them would only cost time.
 */
public final class TokenSampler {
    /** Scaled logits this far below the best are left out of a draw. */
    static final float CUTOFF = 30f;

    private final Sampling options;
    private final SplittableRandom random;
    private long[] order = new long[256];
    private double[] probabilities = new double[256];

    public TokenSampler(Sampling options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
    }

    public boolean greedy() {
        return options.greedy();
    }

    /** The next token from {@code logits[offset .. offset + vocab)}; logits of forbidden tokens are -infinity. */
    public int next(float[] logits, int offset, int vocab) {
        int best = argmax(logits, offset, vocab);
        if (options.greedy()) {
            return best;
        }
        float temperature = options.temperature();
        float max = logits[offset + best];
        int count = 0;
        for (int i = 0; i < vocab; i++) {
            float scaled = (logits[offset + i] - max) / temperature;
            if (scaled > -CUTOFF) {
                if (count == order.length) {
                    order = Arrays.copyOf(order, count * 2);
                }
                // Scaled logits are <= 0: their negated float bits order like their values, so a (bits, id)
                // long sorts candidates by likelihood, most likely first, ties by id.
                order[count++] = ((long) Float.floatToIntBits(-scaled) << 32) | i;
            }
        }
        Arrays.sort(order, 0, count);
        int keep = options.topK() > 0 ? Math.min(options.topK(), count) : count;
        if (probabilities.length < keep) {
            probabilities = new double[Math.max(keep, probabilities.length * 2)];
        }
        double total = 0;
        for (int rank = 0; rank < keep; rank++) {
            double p = Math.exp(-Float.intBitsToFloat((int) (order[rank] >>> 32)));
            probabilities[rank] = p;
            total += p;
        }
        // Nucleus over the top-k set: the smallest prefix reaching topP of its mass.
        double kept = 0;
        int cut = 0;
        while (cut < keep) {
            kept += probabilities[cut++];
            if (kept >= options.topP() * total) {
                break;
            }
        }
        double target = random.nextDouble() * kept;
        double sum = 0;
        for (int rank = 0; rank < cut; rank++) {
            sum += probabilities[rank];
            if (sum >= target) {
                return (int) order[rank];
            }
        }
        return (int) order[cut - 1];
    }

    /** Index of the largest logit, the first on a tie. */
    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        float max = logits[offset];
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > max) {
                max = logits[offset + i];
                best = i;
            }
        }
        return best;
    }
}
