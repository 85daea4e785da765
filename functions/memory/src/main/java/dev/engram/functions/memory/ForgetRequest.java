package dev.engram.functions.memory;

/** The body of {@code forget}: exactly one of {@code id}, {@code sessionId}, {@code userId}, {@code all: true}. */
public record ForgetRequest(String id, String sessionId, String userId, Boolean all) {}
