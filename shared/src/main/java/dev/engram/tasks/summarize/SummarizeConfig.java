package dev.engram.tasks.summarize;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How {@code summarize} behaves: {@code engram.summarize.*}. */
@ConfigMapping(prefix = "engram.summarize")
public interface SummarizeConfig {

    /** {@code maxTokens} of an abstractive summary when the request gives none (capped at a quarter of the context). */
    @WithDefault("128")
    int defaultMaxTokens();

    /** {@code maxSentences} of an extractive summary when the request gives none. */
    @WithDefault("3")
    int defaultMaxSentences();

    /** The largest {@code maxSentences} allowed. */
    @WithDefault("50")
    int maxSentences();

    /**
     * The most chunks an abstractive summary may split its input into; a longer text is a 400 before
     * the model runs (each chunk is a model call: this bounds a request's time).
     */
    @WithDefault("64")
    int maxChunks();

    /**
     * The most sentences an extractive summary embeds; a text with more is a 400 before any is
     * embedded (MiniLM embeds ~60–90 sentences a second on two cores: 1000 take 10–15 s).
     */
    @WithDefault("1000")
    int maxExtractiveSentences();

    /**
     * In an extractive summary, a sentence whose cosine similarity (MiniLM) to one already picked
     * reaches this repeats it and is skipped; 1 keeps repeats.
     */
    @WithDefault("0.85")
    double duplicateSimilarity();
}
