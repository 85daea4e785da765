package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code POST /v1/chat/completions}. {@code top_k} is the extension vLLM, llama.cpp and TGI accept;
 * {@code n} must be 1, the penalties 0 ({@code user} is accepted and ignored). {@code stop} is a string
 * or a list of strings. {@code response_format} constrains the answer to JSON (see {@link ResponseFormatSpec}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ChatCompletionRequest(
        String model,
        List<ChatMessage> messages,
        Float temperature,
        @JsonProperty("top_p") Float topP,
        @JsonProperty("top_k") Integer topK,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        Long seed,

        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> stop,

        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        Integer n,
        @JsonProperty("presence_penalty") Float presencePenalty,
        @JsonProperty("frequency_penalty") Float frequencyPenalty,
        String user,
        @JsonProperty("response_format") ResponseFormatSpec responseFormat) {}
