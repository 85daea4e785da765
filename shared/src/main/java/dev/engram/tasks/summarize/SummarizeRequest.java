package dev.engram.tasks.summarize;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /summarize}. Only {@code text} is required. {@code mode} is {@code abstractive} (default:
 * the model writes the summary, at most {@code maxTokens}) or {@code extractive} (the
 * {@code maxSentences} most representative sentences, verbatim, in document order). {@code style} is
 * {@code paragraph} (default) or {@code bullets}; {@code focus} steers either mode towards a topic.
 */
@RegisterForReflection
public record SummarizeRequest(
        String text,
        String mode,
        Integer maxTokens,
        Integer maxSentences,
        String style,
        String focus,
        String sessionId) {

    public static SummarizeRequest of(String text) {
        return new SummarizeRequest(text, null, null, null, null, null, null);
    }
}
