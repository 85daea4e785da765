package dev.engram.functions.memory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code forget}: exactly one of {@code id}, {@code sessionId}, {@code userId}, {@code all: true}. */
@RegisterForReflection
public record ForgetRequest(String id, String sessionId, String userId, Boolean all) {}
