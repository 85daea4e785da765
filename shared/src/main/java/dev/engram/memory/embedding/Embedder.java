package dev.engram.memory.embedding;

import java.util.List;

/**
 * Turns texts into unit-length vectors whose dot product is their cosine similarity. The seam lets
 * long-term memory stay independent of the model; {@link MiniLmEmbedder} is the in-process one.
 */
public interface Embedder {
    /** The model's name, as {@code POST /v1/embeddings} reports it. */
    String name();

    /** The length of every vector this embedder returns. */
    int dimensions();

    /** One normalised vector per text, in order, and the model's tokens they took (usage of {@code /v1/embeddings}). */
    Embedded embedCounted(List<String> texts);

    /** One normalised vector per text, in order. */
    default List<float[]> embedAll(List<String> texts) {
        return embedCounted(texts).vectors();
    }

    default float[] embed(String text) {
        return embedAll(List.of(text)).getFirst();
    }

    /** Vectors and the tokens the model read for them. */
    record Embedded(List<float[]> vectors, int tokens) {}
}
