package dev.engram.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Per-request limits: {@code engram.request.*}. */
@ConfigMapping(prefix = "engram.request")
public interface RequestConfig {

    /**
     * Every request's deadline, from the moment its task starts: queue wait, memory reads and every
     * model call of the request (a summary's map-reduce steps, a translation's chunks) count. A
     * generation running at the deadline stops with {@code finishReason: "timeout"} and the text so far;
     * a request still waiting for the model at its deadline gets 503 {@code deadline_exceeded}.
     */
    @WithDefault("120s")
    Duration timeout();
}
