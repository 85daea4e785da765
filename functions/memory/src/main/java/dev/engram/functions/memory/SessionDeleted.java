package dev.engram.functions.memory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What {@code session-delete} answers: {@code deleted} is false when there was no such session. */
@RegisterForReflection
public record SessionDeleted(String sessionId, boolean deleted) {}
