package dev.engram.inference.llama;

/**
 * Tokens of one sequence at consecutive positions from {@code start}, computed in one step.
 *
 * @param prompt whether these are prompt tokens (computed with the blocked product) or decoded tokens
 * @param logits how many of the last tokens need next-token logits (1 for generation, all for scoring)
 */
public record Chunk(int[] tokens, int start, KvCache cache, boolean prompt, int logits) {
    public Chunk {
        if (tokens.length == 0 || logits < 0 || logits > tokens.length) {
            throw new IllegalArgumentException("a chunk has tokens and asks logits for at most all of them");
        }
    }

    public static Chunk decode(int token, int position, KvCache cache) {
        return new Chunk(new int[] {token}, position, cache, false, 1);
    }

    public int end() {
        return start + tokens.length;
    }
}
