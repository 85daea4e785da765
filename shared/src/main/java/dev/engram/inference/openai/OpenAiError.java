package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.engram.errors.EngramException;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The error body of the OpenAI surface: {@code {"error": {"message", "type", "code"}}}. */
@RegisterForReflection
public record OpenAiError(Detail error) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @RegisterForReflection
    public record Detail(String message, String type, String param, String code) {}

    /** An Engram error as OpenAI writes it: Engram's message and code, OpenAI's type for its status. */
    public static OpenAiError of(EngramException error) {
        String type = error.status() >= 500
                ? "server_error"
                : error.status() == 404 ? "not_found_error" : "invalid_request_error";
        return new OpenAiError(new Detail(error.getMessage(), type, null, error.code()));
    }
}
