package dev.engram.tasks.embeddings;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The answer of {@code POST /v1/embeddings}: {@code object} is {@code list}. */
@RegisterForReflection
public record EmbeddingList(String object, List<Embedding> data, String model, Usage usage) {

    /**
     * One input's vector, {@code object} {@code embedding}: an array of floats, or with
     * {@code encoding_format: base64} the base64 of its little-endian float32 bytes.
     */
    @RegisterForReflection
    public record Embedding(String object, Object embedding, int index) {}

    /** Tokens read by the embedding model (its own tokenizer, special tokens included). */
    @RegisterForReflection
    public record Usage(
            @JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("total_tokens") int totalTokens) {}
}
