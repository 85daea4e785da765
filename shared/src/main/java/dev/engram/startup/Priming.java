package dev.engram.startup;

import dev.engram.inference.GenerationRequest;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.TokenListener;
import dev.engram.inference.models.Models;
import dev.engram.memory.embedding.EmbedderConfig;
import dev.engram.memory.embedding.Embedders;
import dev.engram.memory.embedding.EmbeddingModel;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.ObserverMethod;
import org.jboss.logging.Logger;

/**
 * Warms what a function's first request would otherwise pay for: the model's load and a first short
 * generation (class loading, the kernels' first runs), and the long-term memory embedder's load and a
 * first embedding. It runs where a start is recorded for later starts to resume from: before a Lambda
 * SnapStart snapshot ({@link SnapStartPriming}) and in the training start that writes the JDK AOT cache
 * ({@link StartupConfig#trainingRun()}), which then holds a first request's classes and method profiles.
 * A function primes only what it uses: the model if it loads one, the embedder if it carries it.
 */
@ApplicationScoped
public class Priming {
    private static final Logger LOG = Logger.getLogger(Priming.class);
    private static final String TEXT = "Once upon a time";
    private static final int TOKENS = 8;

    private final Models models;
    private final Embedders embedders;
    private final EmbedderConfig embedderConfig;
    private final StartupConfig startupConfig;

    public Priming(Models models, Embedders embedders, EmbedderConfig embedderConfig, StartupConfig startupConfig) {
        this.models = models;
        this.embedders = embedders;
        this.embedderConfig = embedderConfig;
        this.startupConfig = startupConfig;
    }

    /** What was primed: the model and its generated tokens, the embedder (null: not used here). */
    public record Primed(String model, int tokens, String embedder, long millis) {}

    /** Loads and runs the model and the embedder once; waits for the model's load. */
    public Primed prime() {
        long begun = System.nanoTime();
        String modelName = null;
        int tokens = 0;
        if (models.state() != Models.State.NOT_USED) {
            LanguageModel model = models.get();
            tokens = model.generate(GenerationRequest.greedy(Prompt.of(TEXT), TOKENS), TokenListener.NONE)
                    .completionTokens();
            modelName = model.name();
        }
        String embedder = null;
        EmbeddingModel embedding = EmbeddingModel.byId(embedderConfig.model());
        if (embedding.onClasspath()) {
            embedders.get(embedding).embedQuery(TEXT);
            embedder = embedding.id();
        }
        Primed primed = new Primed(modelName, tokens, embedder, (System.nanoTime() - begun) / 1_000_000);
        LOG.infof("Primed in %d ms: model %s (%d tokens), embedder %s", primed.millis(), modelName, tokens, embedder);
        return primed;
    }

    /** The AOT cache's training start: after the function's own start-up (which starts the model's load). */
    void onStart(@Observes @Priority(ObserverMethod.DEFAULT_PRIORITY + 1000) StartupEvent event) {
        if (startupConfig.trainingRun()) {
            prime();
            // An exit asked for while the application is still starting is dropped: ask once it has started.
            Thread.ofPlatform().name("engram-training-exit").start(() -> {
                try {
                    while (!Application.currentApplication().isStarted()) {
                        Thread.sleep(10);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Quarkus.asyncExit(0);
            });
        }
    }
}
