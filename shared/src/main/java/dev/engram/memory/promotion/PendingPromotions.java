package dev.engram.memory.promotion;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A session's promotions not yet in long-term memory: {@code pending} entries queued or being
 * extracted, {@code failed} entries that failed every attempt (the tenant's dead letters hold them).
 */
@RegisterForReflection
public record PendingPromotions(long pending, long failed) {}
