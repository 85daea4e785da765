package dev.engram.inference.models;

import dev.engram.errors.UnavailableException;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.TokenListener;
import dev.engram.inference.engine.EngramEngine;
import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.inference.quant.RowFormat;
import dev.engram.inference.remote.RemoteConfig;
import dev.engram.inference.remote.RemoteEngine;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Owns the function's language model: loads it once in the background when the function starts (so
 * the HTTP server and liveness are up at once and readiness follows the model), hands it out, and
 * closes it on shutdown.
 */
@ApplicationScoped
public class Models {
    private static final Logger LOG = Logger.getLogger(Models.class);
    private static final String WARM_UP = "Once upon a time";

    /**
     * The {@code @Startup} priority a function starts the load with: ahead of the other start-up work,
     * so the load (and its warm-up) runs on another core while the server comes up. Only for work whose
     * threads create no beans: beans created on another thread while the start-up still creates its own
     * can fail (the batch runner does, so it starts at the default priority).
     */
    public static final int LOAD_FIRST = Interceptor.Priority.PLATFORM_BEFORE;

    private final ModelConfig modelConfig;
    private final InferenceConfig inferenceConfig;
    private final RemoteConfig remoteConfig;
    private final InferenceObserver observer;
    private volatile CompletableFuture<LanguageModel> loading;
    private volatile WarmUp warmUp;
    private volatile boolean counting;

    @Inject
    public Models(
            ModelConfig modelConfig,
            InferenceConfig inferenceConfig,
            RemoteConfig remoteConfig,
            Instance<InferenceObserver> observers) {
        this(
                modelConfig,
                inferenceConfig,
                remoteConfig,
                observers.isResolvable() ? observers.get() : InferenceObserver.NONE);
    }

    /** Without an observer (tests, tools). */
    public Models(ModelConfig modelConfig, InferenceConfig inferenceConfig, RemoteConfig remoteConfig) {
        this(modelConfig, inferenceConfig, remoteConfig, InferenceObserver.NONE);
    }

    public Models(
            ModelConfig modelConfig,
            InferenceConfig inferenceConfig,
            RemoteConfig remoteConfig,
            InferenceObserver observer) {
        this.modelConfig = modelConfig;
        this.inferenceConfig = inferenceConfig;
        this.remoteConfig = remoteConfig;
        this.observer = observer;
    }

    /** Starts loading (idempotent). Function modules call this at start-up. */
    public synchronized void startLoading() {
        if (loading == null) {
            loading = CompletableFuture.supplyAsync(
                    this::load,
                    task -> Thread.ofPlatform().name("engram-model-loader").start(task));
        }
    }

    /** The loaded model, waiting for the load up to the queue timeout. */
    public LanguageModel get() {
        startLoading();
        Duration wait = inferenceConfig.queueTimeout();
        try {
            return loading.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new UnavailableException("model_loading", "The model is still loading; retry shortly", wait);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new UnavailableException(
                    "model_unavailable",
                    "The model could not be loaded: " + cause.getMessage(),
                    Duration.ofSeconds(30),
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("model_loading", "Interrupted while waiting for the model", wait);
        }
    }

    /** The model if it has finished loading, else null (for readiness). */
    public LanguageModel loaded() {
        CompletableFuture<LanguageModel> current = loading;
        return current != null && current.isDone() && !current.isCompletedExceptionally() ? current.join() : null;
    }

    /** Not requested, loading, ready or failed: what readiness reports. */
    public State state() {
        CompletableFuture<LanguageModel> current = loading;
        if (current == null) {
            return State.NOT_USED;
        }
        if (!current.isDone()) {
            return State.LOADING;
        }
        return current.isCompletedExceptionally() ? State.FAILED : State.READY;
    }

    /** The load failure, for health output. */
    public String failure() {
        CompletableFuture<LanguageModel> current = loading;
        if (current == null || !current.isCompletedExceptionally()) {
            return null;
        }
        try {
            current.join();
            return null;
        } catch (Exception e) {
            return e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        }
    }

    public enum State {
        NOT_USED,
        LOADING,
        READY,
        FAILED
    }

    private LanguageModel load() {
        LanguageModel model = loadModel();
        int tokens = inferenceConfig.warmUpTokens();
        if (tokens > 0 && inferenceConfig.backend() != InferenceConfig.Backend.REMOTE) {
            long start = System.nanoTime();
            try {
                model.generate(GenerationRequest.greedy(Prompt.of(WARM_UP), tokens), TokenListener.NONE);
                warmUp = new WarmUp(tokens, (System.nanoTime() - start) / 1_000_000);
                LOG.infof("Warmed up in %d ms (%d tokens)", warmUp.millis(), tokens);
            } catch (RuntimeException e) {
                // Only a speed-up: requests still get the model and meet whatever made it fail themselves.
                LOG.warnf(e, "The warm-up generation failed; the model is served without it");
            }
        }
        counting = true;
        return model;
    }

    /** What the warm-up after the load did, or null (none, or not yet). */
    public WarmUp warmUp() {
        return warmUp;
    }

    /** The generation that ran once after the load, before the model was handed out. */
    public record WarmUp(int tokens, long millis) {}

    /** The warm-up is not a request: metrics and traces only see generations after it. */
    private InferenceObserver.Generation begin(String model) {
        return counting ? observer.begin(model) : InferenceObserver.Generation.NONE;
    }

    private LanguageModel loadModel() {
        try {
            if (inferenceConfig.backend() == InferenceConfig.Backend.REMOTE) {
                // No weights here: the server holds the model. Jlama is never touched.
                return RemoteEngine.create(remoteConfig, observer);
            }
            Path location = modelConfig
                    .path()
                    .map(ModelLocator::local)
                    .orElseGet(() -> modelConfig
                            .id()
                            .map(id -> ModelLocator.huggingFace(
                                    id, modelConfig.cacheDir(), modelConfig.downloadConnectTimeout()))
                            .orElseGet(() -> ModelLocator.embedded(modelConfig.cacheDir())));
            try {
                if (inferenceConfig.backend() == InferenceConfig.Backend.LOCAL && EngramEngine.runs(location)) {
                    return loadOwn(location);
                }
                return JlamaEngine.load(
                        location,
                        new JlamaEngine.Options(
                                inferenceConfig.queueSize(),
                                inferenceConfig.queueTimeout(),
                                inferenceConfig.threads(),
                                inferenceConfig.workDir(),
                                this::begin));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(
                        "Could not load the model in " + location + " (" + e.getMessage() + "). It must be a "
                                + "GGUF file, or a directory with config.json, model.safetensors (or an index and shards) and tokenizer.json",
                        e);
            }
        } catch (RuntimeException e) {
            // Said at start-up, where the operator looks, not only in the first request's 503. A wrong setting is
            // explained by its message (which names the fix); anything else keeps its stack trace.
            boolean setting = e.getCause() == null || e instanceof UnavailableException;
            LOG.errorf(
                    setting ? null : e,
                    "The model is not loaded; requests that need it answer 503 model_unavailable until the "
                            + "function is restarted with a working model. %s",
                    e.getMessage());
            throw e;
        }
    }

    private EngramEngine loadOwn(Path location) throws IOException {
        long start = System.nanoTime();
        long kvMemory = inferenceConfig
                .kvMemory()
                .map(MemorySize::asLongValue)
                .orElse(Runtime.getRuntime().maxMemory() / 4);
        EngramEngine engine = EngramEngine.load(
                location,
                new EngramEngine.Options(
                        inferenceConfig.threads().orElse(Runtime.getRuntime().availableProcessors()),
                        inferenceConfig.quantize().map(f -> RowFormat.valueOf(f.name())),
                        inferenceConfig.nativeKernels(),
                        kvMemory,
                        inferenceConfig.maxBatch(),
                        inferenceConfig.stepTokens(),
                        inferenceConfig.queueSize(),
                        inferenceConfig.queueTimeout(),
                        this::begin));
        LOG.infof(
                "Loaded %s in %d ms: %s",
                location.getFileName(), (System.nanoTime() - start) / 1_000_000, engine.describe());
        return engine;
    }

    @PreDestroy
    void close() {
        CompletableFuture<LanguageModel> current = loading;
        if (current != null) {
            current.thenAccept(LanguageModel::close);
        }
    }
}
