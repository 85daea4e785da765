package dev.engram.testing;

import dev.engram.inference.llama.Chunk;
import dev.engram.inference.llama.KvCache;
import dev.engram.inference.llama.KvPool;
import dev.engram.inference.llama.LlamaModel;
import java.util.List;

/**
 * The independent path scoring tests compare against: one decode step per token on a cache of its
 * own, and the log-probabilities of the tokens from {@code from} on, summed in double precision.
 */
public final class TokenByToken {
    private TokenByToken() {}

    /** The sum of log p(tokens[i] | tokens[..i]) for i ≥ {@code from}. */
    public static double logProb(LlamaModel model, int[] tokens, int from) {
        double sum = 0;
        try (KvCache cache = new KvCache(new KvPool(model.config(), 64L << 20), model.config())) {
            if (!cache.ensure(tokens.length)) {
                throw new IllegalStateException(
                        "64 MB of key/value memory do not hold " + tokens.length + " positions");
            }
            for (int position = 0; position < tokens.length - 1; position++) {
                float[] logits = model.forward(List.of(Chunk.decode(tokens[position], position, cache)));
                if (position + 1 >= from) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (float l : logits) {
                        max = Math.max(max, l);
                    }
                    double norm = 0;
                    for (float l : logits) {
                        norm += Math.exp(l - max);
                    }
                    sum += logits[tokens[position + 1]] - max - Math.log(norm);
                }
            }
        }
        return sum;
    }
}
