package dev.engram.tasks;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Tokens a call consumed, for every task's response. */
@RegisterForReflection
public record Usage(int promptTokens, int completionTokens) {}
