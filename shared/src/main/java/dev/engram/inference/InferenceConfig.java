package dev.engram.inference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How generations are run: {@code engram.inference.*}. */
@ConfigMapping(prefix = "engram.inference")
public interface InferenceConfig {

    /** Where generations run: {@code jlama} (in this process) or {@code remote} (an OpenAI-compatible server). */
    @WithDefault("jlama")
    Backend backend();

    enum Backend {
        JLAMA,
        REMOTE
    }

    /** Requests allowed to wait while one generation runs; more get 503. */
    @WithDefault("16")
    int queueSize();

    /** The longest a request waits for its turn before it gets 503. */
    @WithDefault("30s")
    Duration queueTimeout();

    /** Threads for Jlama's matrix kernels; default: Jlama's choice (half the cores, at least 2). */
    Optional<Integer> threads();

    /**
     * A working directory for Jlama (where its own generate loop would memory-map KV-cache pages).
     * Engram's engine keeps every KV cache in memory, so nothing is written there and nothing can be
     * left on disk, even after a SIGKILL; unset, Jlama gets one fixed directory shared by every load
     * ({@code <java.io.tmpdir>/engram-jlama}); when set, it is created if missing and emptied after
     * every generation.
     */
    Optional<Path> workDir();

    /** {@code maxTokens} when the request gives none. */
    @WithDefault("256")
    int defaultMaxTokens();
}
