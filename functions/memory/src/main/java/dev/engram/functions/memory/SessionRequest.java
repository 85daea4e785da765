package dev.engram.functions.memory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code session-get} and {@code session-delete}. */
@RegisterForReflection
public record SessionRequest(String sessionId) {}
