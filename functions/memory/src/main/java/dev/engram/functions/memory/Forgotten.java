package dev.engram.functions.memory;

/** What {@code forget} answers: how many memories were removed (0 is not an error). */
public record Forgotten(long forgotten) {}
