package dev.engram.inference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How generations are run: {@code engram.inference.*}. */
@ConfigMapping(prefix = "engram.inference")
public interface InferenceConfig {

    /** Requests allowed to wait while one generation runs; more get 503. */
    @WithDefault("16")
    int queueSize();

    /** The longest a request waits for its turn before it gets 503. */
    @WithDefault("30s")
    Duration queueTimeout();

    /** Threads for Jlama's matrix kernels; default: Jlama's choice (half the cores, at least 2). */
    Optional<Integer> threads();

    /**
     * The engine's own working directory (Jlama may place KV-cache pages there). Created if missing,
     * emptied after every generation, deleted on shutdown. Default: a fresh temporary directory.
     */
    Optional<Path> workDir();

    /** {@code maxTokens} when the request gives none. */
    @WithDefault("256")
    int defaultMaxTokens();
}
