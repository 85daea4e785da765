package dev.engram.tasks.extraction;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A request's choice of how its session's folded turns become long-term memories: a {@link Strategy}
 * name, and with {@code custom} its instruction.
 */
@RegisterForReflection
public record PromotionChoice(String strategy, String instruction) {}
