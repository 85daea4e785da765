package dev.engram.tasks.embeddings;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /v1/embeddings}: {@code input} is a string or an array of strings (token arrays are
 * refused); {@code encoding_format} is {@code float} (default) or {@code base64}; {@code dimensions},
 * when given, must be the model's; {@code user} is accepted and ignored.
 */
@RegisterForReflection
public record EmbeddingsRequest(
        JsonNode input,
        String model,
        @JsonProperty("encoding_format") String encodingFormat,
        Integer dimensions,
        String user) {}
