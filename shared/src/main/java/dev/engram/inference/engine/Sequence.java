package dev.engram.inference.engine;

import dev.engram.inference.Cancellation;
import dev.engram.inference.FinishReason;
import dev.engram.inference.decoding.TokenSampler;
import dev.engram.inference.llama.Chunk;
import dev.engram.inference.llama.KvCache;
import java.util.Arrays;
import java.util.Set;

/**
 * One generation as the scheduler sees it: its prompt, how far it has been computed, its own cache,
 * sampler and limits, and the channel its tokens go out on. Touched only by the scheduler thread,
 * except {@link #channel} and the caller's {@link Cancellation}.
 */
final class Sequence {
    final int[] prompt;
    final int maxTokens;
    final TokenSampler sampler;
    final Set<Integer> endTokens;
    final Cancellation cancellation;
    final TokenChannel channel = new TokenChannel();
    final long submittedAt = System.nanoTime();
    /**
     * Set by the caller when it needs no more tokens (a stop string, an error): ends this sequence only,
     * not the request's {@link Cancellation}, which a task may share between several generations.
     */
    volatile boolean abandoned;
    /** When the first token was sampled (0 until then). */
    volatile long firstTokenAt;
    KvCache cache;
    /** Prompt tokens computed so far. */
    int computed;
    int generated;
    int lastToken;
    long admittedAt;

    Sequence(int[] prompt, int maxTokens, TokenSampler sampler, Set<Integer> endTokens, Cancellation cancellation) {
        this.prompt = prompt;
        this.maxTokens = maxTokens;
        this.sampler = sampler;
        this.endTokens = endTokens;
        this.cancellation = cancellation;
    }

    boolean inPrompt() {
        return computed < prompt.length;
    }

    /** The positions this sequence may ever use: its prompt and its longest answer, within the context. */
    int positions(int context) {
        return Math.min(context, prompt.length + maxTokens);
    }

    /** The next chunk: up to {@code budget} prompt tokens, or the last sampled token. */
    Chunk nextChunk(int budget) {
        if (inPrompt()) {
            int end = Math.min(prompt.length, computed + Math.max(1, budget));
            return new Chunk(Arrays.copyOfRange(prompt, computed, end), computed, cache, true, end == prompt.length ? 1 : 0);
        }
        return Chunk.decode(lastToken, prompt.length + generated - 1, cache);
    }

    /** Records that {@code chunk} has been computed. */
    void computed(Chunk chunk) {
        if (chunk.prompt()) {
            computed = chunk.end();
        }
    }

    /**
     * Samples from this sequence's logits row and sends the token, or says why it ends: an end
     * token, its token limit, the context's end.
     */
    FinishReason accept(float[] logits, int offset, int vocab, int context) {
        int token = sampler.next(logits, offset, vocab);
        if (endTokens.contains(token)) {
            return FinishReason.STOP;
        }
        if (firstTokenAt == 0) {
            firstTokenAt = System.nanoTime();
        }
        generated++;
        lastToken = token;
        channel.put(token);
        if (generated >= maxTokens || prompt.length + generated >= context) {
            return FinishReason.LENGTH;
        }
        return null;
    }

    /** Why the caller wants it to end before its next step, if it does. */
    FinishReason interrupted() {
        if (abandoned || cancellation.isCancelled()) {
            return FinishReason.CANCELLED;
        }
        if (cancellation.expired()) {
            return FinishReason.TIMEOUT;
        }
        return null;
    }
}
