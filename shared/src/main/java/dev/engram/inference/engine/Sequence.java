package dev.engram.inference.engine;

import dev.engram.inference.Cancellation;
import dev.engram.inference.FinishReason;
import dev.engram.inference.decoding.TokenSampler;
import dev.engram.inference.llama.Chunk;
import dev.engram.inference.llama.KvCache;
import dev.engram.inference.structured.TokenConstraint;
import java.util.Arrays;
import java.util.BitSet;
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
    /** The JSON constraint on the output; null for free text. */
    final TokenConstraint constraint;

    private BitSet allowed;
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

    Sequence(
            int[] prompt,
            int maxTokens,
            TokenSampler sampler,
            Set<Integer> endTokens,
            Cancellation cancellation,
            TokenConstraint constraint) {
        this.prompt = prompt;
        this.maxTokens = maxTokens;
        this.sampler = sampler;
        this.endTokens = endTokens;
        this.cancellation = cancellation;
        this.constraint = constraint;
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
            return new Chunk(
                    Arrays.copyOfRange(prompt, computed, end), computed, cache, true, end == prompt.length ? 1 : 0);
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
     * token, its token limit, the context's end, a finished JSON document. With a constraint, the
     * tokens it does not allow get a logit of minus infinity first.
     */
    FinishReason accept(float[] logits, int offset, int vocab, int context) {
        if (constraint != null) {
            if (allowed == null) {
                allowed = new BitSet(vocab);
            }
            constraint.allowed(allowed);
            if (allowed.isEmpty()) { // a complete document in a vocabulary without end tokens
                return FinishReason.STOP;
            }
            for (int i = allowed.nextClearBit(0); i < vocab; i = allowed.nextClearBit(i + 1)) {
                logits[offset + i] = Float.NEGATIVE_INFINITY;
            }
        }
        int token = sampler.next(logits, offset, vocab);
        if (endTokens.contains(token)) {
            return FinishReason.STOP;
        }
        if (constraint != null) {
            constraint.accept(token);
        }
        if (firstTokenAt == 0) {
            firstTokenAt = System.nanoTime();
        }
        generated++;
        lastToken = token;
        channel.put(token);
        if (constraint != null && constraint.finished()) {
            return FinishReason.STOP;
        }
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
