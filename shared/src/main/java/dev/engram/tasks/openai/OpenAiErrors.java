package dev.engram.tasks.openai;

import dev.engram.errors.BadJson;
import dev.engram.errors.EngramException;
import dev.engram.errors.InvalidRequestException;
import dev.engram.inference.openai.OpenAiError;

/**
 * Errors on the OpenAI surface keep Engram's statuses (4xx for bad input, 503 with Retry-After for
 * overload) and codes, in OpenAI's body: {@code {"error": {"message", "type", "param", "code"}}}.
 */
public final class OpenAiErrors {
    private OpenAiErrors() {}

    /** What the request's failure is, as an Engram error (unexpected failures become a 500). */
    public static EngramException of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EngramException known) {
                return known;
            }
            if (t instanceof com.fasterxml.jackson.core.JacksonException json) {
                return new InvalidRequestException("invalid_json", "Invalid JSON body: " + BadJson.describe(json));
            }
        }
        return new EngramException(500, "internal_error", "The function failed unexpectedly: " + failure.getClass().getSimpleName());
    }

    public static OpenAiError body(EngramException error) {
        String type = error.status() >= 500 ? "server_error" : error.status() == 404 ? "not_found_error" : "invalid_request_error";
        return OpenAiError.of(error.getMessage(), type, error.code());
    }
}
