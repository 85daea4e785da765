package dev.engram.memory.longterm;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One recalled memory, best first; {@code score} is the cosine similarity to the query. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecallHit(String id, String text, float score, List<String> tags, String userId, String sessionId,
        long createdAt, MemorySource source) {}
