package dev.engram.memory.longterm;

import java.util.List;

/**
 * One long-term memory as stored: a text with its embedding, recalled by meaning.
 *
 * @param userId    optional: whose memory it is
 * @param sessionId optional: the conversation it came from
 * @param createdAt epoch milliseconds
 * @param embedding unit-length, {@link dev.engram.memory.embedding.Embedder#dimensions()} floats
 */
public record MemoryRecord(
        String id,
        String tenant,
        String userId,
        String sessionId,
        String text,
        List<String> tags,
        long createdAt,
        MemorySource source,
        float[] embedding) {}
