package dev.engram.functions.memory;

/** What {@code session-delete} answers: {@code deleted} is false when there was no such session. */
public record SessionDeleted(String sessionId, boolean deleted) {}
