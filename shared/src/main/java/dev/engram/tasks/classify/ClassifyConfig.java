package dev.engram.tasks.classify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code engram.classify.*}. */
@ConfigMapping(prefix = "engram.classify")
public interface ClassifyConfig {

    /**
     * In {@code auto} mode the embedding decides when its top two probabilities differ by at least
     * this much; below it, the language model decides.
     */
    @WithDefault("0.2")
    double autoMargin();

    /**
     * Softmax temperature over cosine similarities. MiniLM's similarities to short labels differ by a
     * few hundredths, so 1.0 would make every answer look uncertain.
     */
    @WithDefault("0.05")
    double embeddingTemperature();

    /** Longest {@code text} accepted, in characters. */
    @WithDefault("8000")
    int maxTextChars();
}
