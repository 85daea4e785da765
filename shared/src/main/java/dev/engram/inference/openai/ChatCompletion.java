package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The non-streaming answer: {@code object} is {@code chat.completion}. */
@RegisterForReflection
public record ChatCompletion(
        String id, String object, long created, String model, List<Choice> choices, OpenAiUsage usage) {

    /**
     * One choice; Engram always returns exactly one. {@code json_complete} (an Engram extension) only
     * with a JSON {@code response_format}: whether the content is a whole document.
     */
    @RegisterForReflection
    public record Choice(
            int index,
            ChatMessage message,
            @JsonProperty("finish_reason") String finishReason,
            @JsonInclude(JsonInclude.Include.ALWAYS) Object logprobs,

            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("json_complete")
            Boolean jsonComplete) {}
}
