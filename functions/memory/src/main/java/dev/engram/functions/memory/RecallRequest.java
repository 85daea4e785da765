package dev.engram.functions.memory;

import dev.engram.memory.longterm.RecallFilter;

/** The body of {@code recall}: only {@code query} is required; {@code filters} keys are userId, sessionId, tags, from, to. */
public record RecallRequest(String query, Integer k, RecallFilter filters, Float minScore) {}
