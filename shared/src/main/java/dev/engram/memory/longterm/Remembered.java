package dev.engram.memory.longterm;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The outcome of a remember: the memory's id and whether an existing near-identical memory in the same
 * scope was updated ({@code deduplicated}) instead of a new one being added.
 */
@RegisterForReflection
public record Remembered(String id, boolean deduplicated) {}
