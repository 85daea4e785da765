package dev.engram.memory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How memory behaves: {@code engram.memory.*}. Where Redis is comes from the Quarkus Redis client
 * ({@code quarkus.redis.hosts}, set by {@code ENGRAM_REDIS_URL} in the function modules).
 */
@ConfigMapping(prefix = "engram.memory")
public interface MemoryConfig {

    /**
     * How long a session lives after its last use. Sliding: every load and every append starts it
     * again, so an active conversation never expires and an abandoned one frees its memory.
     * Inspecting a session ({@code session-get}) does not extend it.
     */
    @WithDefault("24h")
    Duration sessionTtl();

    /**
     * The working window: the most tokens of recent turns a session keeps verbatim. When the turns
     * exceed it, the oldest are folded into the session's rolling summary (the task asks the model to
     * summarise them; memory only stores the result).
     */
    @WithDefault("1024")
    int windowTokens();

    /** The most tokens the model may write for a rolling summary when old turns are folded. */
    @WithDefault("96")
    int summaryTokens();

    /**
     * Echo the exact prompt text the model received in each response's {@code prompt} field. For
     * debugging and tests only: it returns remembered turns to the caller.
     */
    @WithDefault("false")
    boolean echoPrompt();
}
