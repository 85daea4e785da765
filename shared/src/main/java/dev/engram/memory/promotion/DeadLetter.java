package dev.engram.memory.promotion;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A queue entry that failed every attempt: where it came from, how often it was tried and the last error. */
@RegisterForReflection
public record DeadLetter(
        String id,
        String entryId,
        String sessionId,
        String userId,
        String strategy,
        int attempts,
        String error,
        long failedAt,
        String turns) {}
