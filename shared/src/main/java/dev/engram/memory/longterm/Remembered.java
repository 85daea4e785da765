package dev.engram.memory.longterm;

/**
 * The outcome of a remember: the memory's id and whether an existing near-identical memory in the same
 * scope was updated ({@code deduplicated}) instead of a new one being added.
 */
public record Remembered(String id, boolean deduplicated) {}
