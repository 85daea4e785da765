package dev.engram.memory.embedding;

import java.util.List;

/**
 * Turns texts into unit-length vectors whose dot product is their cosine similarity. The seam lets
 * long-term memory stay independent of the model; {@link OnnxEmbedder} runs the configured
 * {@link EmbeddingModel} in-process.
 *
 * <p>Retrieval models are asymmetric: a short question and the text that answers it are embedded
 * differently (bge prefixes the question with an instruction, e5 marks both sides). Stored texts, and
 * texts compared with each other, go through {@link #embedAll}; a search for stored texts through
 * {@link #embedQuery}.
 */
public interface Embedder {
    /** The model, its id and its calibrated thresholds. */
    EmbeddingModel model();

    /** The length of every vector this embedder returns. */
    default int dimensions() {
        return model().dimensions();
    }

    /**
     * One normalised vector per text, in order (texts to store, or to compare with each other), and the
     * model's tokens they took (usage of {@code /v1/embeddings}).
     */
    Embedded embedCounted(List<String> texts);

    /** One normalised vector per text, in order: texts to store, or to compare with each other. */
    default List<float[]> embedAll(List<String> texts) {
        return embedCounted(texts).vectors();
    }

    default float[] embed(String text) {
        return embedAll(List.of(text)).getFirst();
    }

    /** The vector of a search query, to be scored against vectors from {@link #embedAll}. */
    float[] embedQuery(String query);

    /** Vectors and the tokens the model read for them. */
    record Embedded(List<float[]> vectors, int tokens) {}
}
