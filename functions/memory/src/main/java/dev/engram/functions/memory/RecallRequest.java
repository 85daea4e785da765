package dev.engram.functions.memory;

import dev.engram.memory.longterm.RecallFilter;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code recall}: only {@code query} is required; {@code filters} keys are userId, sessionId, tags, from, to. */
@RegisterForReflection
public record RecallRequest(String query, Integer k, RecallFilter filters, Float minScore) {}
