package dev.engram.inference.remote;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The remote engine's server: {@code engram.inference.remote.*} (used when {@code engram.inference.backend=remote}). */
@ConfigMapping(prefix = "engram.inference.remote")
public interface RemoteConfig {

    /** The server's OpenAI base URL, ending in {@code /v1} (e.g. {@code http://gpu-node:8000/v1}). */
    Optional<String> baseUrl();

    /** The served model's id; default: the first id the server's {@code /v1/models} lists. */
    Optional<String> model();

    /** Sent as {@code Authorization: Bearer ...} when set. */
    Optional<String> apiKey();

    /** How long to wait for a TCP connection. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** How long to wait for the response headers, and then for each further piece of a stream. */
    @WithDefault("60s")
    Duration readTimeout();

    /** Retries after a connection failure, a 5xx or a 429 (never once a stream has begun). */
    @WithDefault("2")
    int maxRetries();

    /** The first wait before a retry; it doubles each time (a server's Retry-After wins when longer). */
    @WithDefault("250ms")
    Duration backoff();

    /** The longest wait between two attempts. */
    @WithDefault("5s")
    Duration maxBackoff();

    /** The model's context in tokens; default: the server's {@code max_model_len} when it lists one, else 4096. */
    Optional<Integer> contextLength();

    /**
     * A {@code tokenizer.json} (or the model directory holding it and {@code config.json}) of the served
     * model, to count tokens exactly; without it tokens are estimated as ceil(characters / 4).
     */
    Optional<Path> tokenizer();

    /**
     * Whether the server applies a chat template to the messages (instruct models); {@code false} for a
     * raw completion model, so that tasks build raw-completion prompts for it.
     */
    @WithDefault("true")
    boolean chatTemplate();

    /**
     * Consecutive failed calls (server unreachable after the retries, or a broken stream) after which
     * the circuit breaker opens and calls fail fast with 503 {@code inference_unavailable}; 0 disables it.
     */
    @WithName("breaker.failure-threshold")
    @WithDefault("3")
    int breakerFailureThreshold();

    /** How long an open breaker fails calls fast before one probe call may try the server again. */
    @WithName("breaker.open-duration")
    @WithDefault("10s")
    Duration breakerOpenDuration();
}
