package dev.engram.inference.structured;

import java.util.BitSet;

/**
 * The constraint of one generation: which tokens may come next. The engine asks {@link #allowed}
 * before each sampling step, gives every disallowed token a logit of minus infinity (greedy and
 * sampled decoding alike; top-k and top-p then apply over the allowed tokens), and reports the token
 * it chose with {@link #accept}. End tokens are allowed only where the document is complete; every
 * other allowed token keeps a complete document reachable. Not thread-safe: one per generation.
 */
public interface TokenConstraint {

    /** Sets in {@code out} (cleared first) exactly the token ids that may come next. */
    void allowed(BitSet out);

    /**
     * Advances past {@code token}, which must have been allowed and must not be an end token.
     *
     * @throws IllegalArgumentException when {@code token} was not allowed
     */
    void accept(int token);

    /** Whether the output so far is a complete document (the generation may end here). */
    boolean complete();

    /** Whether the document is complete and nothing but an end token may follow: the engine stops here. */
    boolean finished();

    /** Gives every token not in {@code allowed} a logit of minus infinity. */
    static void mask(float[] logits, int vocab, BitSet allowed) {
        for (int i = allowed.nextClearBit(0); i < vocab; i = allowed.nextClearBit(i + 1)) {
            logits[i] = Float.NEGATIVE_INFINITY;
        }
    }
}
