package dev.engram.tasks;

/** Tokens a call consumed, for every task's response. */
public record Usage(int promptTokens, int completionTokens) {}
