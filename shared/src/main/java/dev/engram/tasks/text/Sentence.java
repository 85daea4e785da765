package dev.engram.tasks.text;

/**
 * One sentence of a text: its words exactly as they stand there ({@code text} equals
 * {@code source.substring(start, end)}), and the paragraph (line block) it belongs to.
 */
public record Sentence(String text, int start, int end, int paragraph) {}
