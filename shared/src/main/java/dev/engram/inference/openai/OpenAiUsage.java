package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Token counts as OpenAI reports them. */
@RegisterForReflection
public record OpenAiUsage(
        @JsonProperty("prompt_tokens") int promptTokens,
        @JsonProperty("completion_tokens") int completionTokens,
        @JsonProperty("total_tokens") int totalTokens) {

    public static OpenAiUsage of(int prompt, int completion) {
        return new OpenAiUsage(prompt, completion, prompt + completion);
    }
}
