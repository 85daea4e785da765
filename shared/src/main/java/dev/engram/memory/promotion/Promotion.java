package dev.engram.memory.promotion;

import dev.engram.memory.session.Turn;
import java.util.List;

/**
 * Turns to promote to long-term memory: what a request queues, and what a worker claims.
 *
 * @param entryId     the stream entry id (null before it is queued)
 * @param sessionId   the session the turns left, or null
 * @param userId      whose memories they become, or null
 * @param strategy    how they become memories (the worker's strategies; resolved when queued)
 * @param instruction what the model is asked for, with the {@code custom} strategy; else null
 * @param turns       oldest first
 * @param queuedAt    epoch ms when queued
 * @param attempt     1 for the first try of a claimed entry (0 before it is queued)
 */
public record Promotion(
        String entryId,
        String sessionId,
        String userId,
        String strategy,
        String instruction,
        List<Turn> turns,
        long queuedAt,
        int attempt) {
    public Promotion {
        turns = List.copyOf(turns);
    }

    /** Turns to queue. */
    public static Promotion of(String sessionId, String userId, String strategy, String instruction, List<Turn> turns) {
        return new Promotion(null, sessionId, userId, strategy, instruction, turns, System.currentTimeMillis(), 0);
    }
}
