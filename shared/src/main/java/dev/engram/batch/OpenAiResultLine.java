package dev.engram.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One output line in OpenAI's Batch format: {@code {id, custom_id, response: {status_code, request_id,
 * body}, error}}. A request the endpoint answered (2xx or 4xx/5xx) has a {@code response} whose body is
 * the endpoint's answer or error body; a line that could not be read as a request has only {@code error}.
 */
@RegisterForReflection
public record OpenAiResultLine(
        String id,
        @JsonProperty("custom_id") String customId,
        @JsonInclude(JsonInclude.Include.ALWAYS) Response response,
        @JsonInclude(JsonInclude.Include.ALWAYS) Error error)
        implements BatchResult {

    @Override
    public boolean failed() {
        return error != null || response.statusCode() >= 400;
    }

    /** What the endpoint answered. */
    @RegisterForReflection
    public record Response(
            @JsonProperty("status_code") int statusCode,
            @JsonProperty("request_id") String requestId,
            Object body) {}

    /** Why the line is no request. */
    @RegisterForReflection
    public record Error(String code, String message) {}
}
