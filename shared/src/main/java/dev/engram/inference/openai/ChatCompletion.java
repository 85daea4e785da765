package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The non-streaming answer: {@code object} is {@code chat.completion}. */
@RegisterForReflection
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices, OpenAiUsage usage) {

    /** One choice; Engram always returns exactly one. */
    @RegisterForReflection
    public record Choice(int index, ChatMessage message, @JsonProperty("finish_reason") String finishReason,
            @JsonInclude(JsonInclude.Include.ALWAYS) Object logprobs) {}
}
