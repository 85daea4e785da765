package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One server-sent event of a stream: {@code object} is {@code chat.completion.chunk}. The usage chunk
 * has no choices and a {@code usage}; every other chunk has {@code usage: null}.
 */
@RegisterForReflection
public record ChatCompletionChunk(
        String id,
        String object,
        long created,
        String model,
        List<ChunkChoice> choices,
        @JsonInclude(JsonInclude.Include.ALWAYS) OpenAiUsage usage) {

    /** A piece of the answer; {@code finish_reason} is set on the last one only. */
    @RegisterForReflection
    public record ChunkChoice(
            int index,
            Delta delta,

            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("finish_reason")
            String finishReason) {}

    /** The first delta carries the role, the others text. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record Delta(String role, String content) {}
}
