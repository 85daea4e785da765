package dev.engram.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.errors.ErrorBody;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A job as {@code batch-submit}, {@code batch-status} and {@code batch-cancel} answer it. {@code done}
 * counts input lines that have their result (ok or error), {@code failed} those whose result is an
 * error, {@code written} result lines already in the output file, {@code runners} how many lines each
 * runner instance committed. {@code output} is relative to the tenant's output directory. A job in state
 * {@code failed} (its input could not be read, or its output not written) says why in {@code error}.
 * Times are ISO-8601 UTC.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchStatus(
        String jobId,
        String state,
        String input,
        String output,
        long total,
        long done,
        long failed,
        long pending,
        long written,
        double percent,
        double linesPerSecond,
        Double etaSeconds,
        String submittedAt,
        String startedAt,
        String finishedAt,
        java.util.Map<String, Long> runners,
        ErrorBody error,
        Boolean duplicate) {

    public static final String LOADING = "loading";
    public static final String RUNNING = "running";
    public static final String CANCELLED = "cancelled";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    public BatchStatus asDuplicate() {
        return new BatchStatus(
                jobId,
                state,
                input,
                output,
                total,
                done,
                failed,
                pending,
                written,
                percent,
                linesPerSecond,
                etaSeconds,
                submittedAt,
                startedAt,
                finishedAt,
                runners,
                error,
                true);
    }
}
