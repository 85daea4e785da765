package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code GET /v1/models}. {@code max_model_len} is vLLM's extension: the served context length, which
 * the remote engine reads when it is not configured.
 */
@RegisterForReflection
public record ModelList(String object, List<Model> data) {

    @RegisterForReflection
    public record Model(
            String id,
            String object,
            long created,
            @JsonProperty("owned_by") String ownedBy,
            @JsonProperty("max_model_len") int maxModelLen) {}
}
