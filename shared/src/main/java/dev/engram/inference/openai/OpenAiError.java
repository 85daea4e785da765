package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The error body of the OpenAI surface: {@code {"error": {"message", "type", "code"}}}. */
@RegisterForReflection
public record OpenAiError(Detail error) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    @RegisterForReflection
    public record Detail(String message, String type, String param, String code) {}

    public static OpenAiError of(String message, String type, String code) {
        return new OpenAiError(new Detail(message, type, null, code));
    }
}
