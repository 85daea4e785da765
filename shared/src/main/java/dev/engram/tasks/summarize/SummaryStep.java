package dev.engram.tasks.summarize;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One model call of an abstractive summary. {@code stage} is {@code map} (a chunk of the input),
 * {@code reduce} (partial summaries combined) or {@code single} (the input fitted one prompt);
 * {@code level} counts reduce rounds (0 for map and single).
 */
@RegisterForReflection
public record SummaryStep(String stage, int level, int promptTokens, int completionTokens) {}
