package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code POST /v1/completions}: a raw text prompt, continued without a chat template. The sampling
 * fields mean what they mean in {@link ChatCompletionRequest}; a stream's chunks carry their text in
 * {@code choices[0].text}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record CompletionRequest(
        String model,
        String prompt,
        Float temperature,
        @JsonProperty("top_p") Float topP,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("max_tokens") Integer maxTokens,
        Long seed,
        List<String> stop,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        @JsonProperty("response_format") ResponseFormatSpec responseFormat) {}
