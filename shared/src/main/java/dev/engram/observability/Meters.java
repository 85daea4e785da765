package dev.engram.observability;

/**
 * Meter and tag names. Micrometer names are dotted; the Prometheus output at {@code /q/metrics}
 * turns dots into underscores and adds the unit and type suffixes
 * ({@code gen_ai.server.request.duration} → {@code gen_ai_server_request_duration_seconds_count}, …).
 * The {@code gen_ai.*} names and tags follow the OpenTelemetry GenAI semantic conventions.
 */
public final class Meters {
    private Meters() {}

    /** Distribution summary of tokens per generation, tagged with {@link #TOKEN_TYPE} input|output. */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** Timer: a whole function call (queue wait included), tagged with {@code error.type} (none on success). */
    public static final String REQUEST_DURATION = "gen_ai.server.request.duration";
    /** Timer: from the generation being asked for (queue wait included) to its first token. */
    public static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
    /** Timer: decode time per output token after the first. */
    public static final String TIME_PER_OUTPUT_TOKEN = "gen_ai.server.time_per_output_token";
    /** Gauge: requests waiting for the model now. */
    public static final String QUEUE_DEPTH = "engram.queue.depth";
    /** Gauge: generations holding the model now (0 or 1 per model; stays 1 if a turn leaked). */
    public static final String ACTIVE = "engram.generations.active";
    /** Timer: how long generations waited for the model (0 when it was free). */
    public static final String QUEUE_WAIT = "engram.queue.wait";
    /** Counter: calls answered 503, tagged {@code reason} (overloaded, deadline_exceeded, inference_unavailable, …). */
    public static final String REJECTED = "engram.requests.rejected";
    /** Timer: long-term memory recall (embedding the query and searching). */
    public static final String RECALL_DURATION = "engram.memory.recall.duration";
    /** Counter: batch lines processed, tagged {@code status} (for the batch function: see {@link Observability#batchLine}). */
    public static final String BATCH_LINES = "engram.batch.lines";

    public static final String OPERATION = "gen_ai.operation.name";
    public static final String MODEL = "gen_ai.request.model";
    public static final String TOKEN_TYPE = "gen_ai.token.type";
}
