package dev.engram.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.errors.ErrorBody;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One line of a job's output: the input line's {@code customId} (null when the line had none readable),
 * its 1-based {@code line} number in the input, and either the function's {@code response} or the
 * {@code error} body the function would have answered.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResultLine(String customId, long line, String status, Object response, ErrorBody error)
        implements BatchResult {
    @Override
    public boolean failed() {
        return error != null;
    }

    public static ResultLine ok(String customId, long line, Object response) {
        return new ResultLine(customId, line, "ok", response, null);
    }

    public static ResultLine error(String customId, long line, ErrorBody error) {
        return new ResultLine(customId, line, "error", null, error);
    }
}
