package dev.engram.functions.memory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What {@code forget} answers: how many memories were removed (0 is not an error). */
@RegisterForReflection
public record Forgotten(long forgotten) {}
