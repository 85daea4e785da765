package dev.engram.memory.promotion;

/** A session's own promotion strategy, and the instruction of a {@code custom} one (else null). */
public record SessionStrategy(String strategy, String instruction) {}
