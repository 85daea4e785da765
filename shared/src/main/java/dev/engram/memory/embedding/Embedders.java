package dev.engram.memory.embedding;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link OnnxEmbedder} per {@link EmbeddingModel}, loaded on first use. Injecting {@link Embedder}
 * gives the configured model ({@code engram.embedding.model}): long-term memory's, which every function
 * that stores or recalls memories must share. A task calibrated for one model asks for it by name.
 */
@ApplicationScoped
public class Embedders {
    private final EmbedderConfig config;
    private final Map<EmbeddingModel, Embedder> embedders = new ConcurrentHashMap<>();

    public Embedders(EmbedderConfig config) {
        this.config = config;
    }

    public Embedder get(EmbeddingModel model) {
        return embedders.computeIfAbsent(model, m -> new OnnxEmbedder(m, config.threads(), config.spin()));
    }

    /** The configured model's embedder. */
    @Produces
    @ApplicationScoped
    Embedder configured() {
        return get(EmbeddingModel.byId(config.model()));
    }
}
