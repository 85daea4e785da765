package dev.engram.functions.memory;

/** The body of {@code session-get} and {@code session-delete}. */
public record SessionRequest(String sessionId) {}
