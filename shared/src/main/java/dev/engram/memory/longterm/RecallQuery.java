package dev.engram.memory.longterm;

/**
 * A recall: the {@code k} memories most similar in meaning to {@code text} that pass {@code filter}
 * and score at least {@code minScore} (cosine similarity, −1 … 1). Null k / minScore take the
 * configured defaults.
 */
public record RecallQuery(String text, Integer k, RecallFilter filter, Float minScore) {
    public static RecallQuery of(String text, int k) {
        return new RecallQuery(text, k, null, null);
    }
}
