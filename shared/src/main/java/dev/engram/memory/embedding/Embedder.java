package dev.engram.memory.embedding;

import java.util.List;

/**
 * Turns texts into unit-length vectors whose dot product is their cosine similarity. The seam lets
 * long-term memory stay independent of the model; {@link MiniLmEmbedder} is the in-process one.
 */
public interface Embedder {
    /** The length of every vector this embedder returns. */
    int dimensions();

    /** One normalised vector per text, in order. */
    List<float[]> embedAll(List<String> texts);

    default float[] embed(String text) {
        return embedAll(List.of(text)).getFirst();
    }
}
