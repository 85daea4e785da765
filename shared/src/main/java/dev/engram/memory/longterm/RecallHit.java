package dev.engram.memory.longterm;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One recalled memory, best first; {@code score} is the cosine similarity to the query. {@code history}:
 * the texts an update replaced, oldest first (absent when the memory was never changed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record RecallHit(
        String id,
        String text,
        float score,
        List<String> tags,
        String userId,
        String sessionId,
        long createdAt,
        MemorySource source,
        List<String> history) {}
