package dev.engram.inference;

import java.util.List;
import java.util.Objects;

/**
 * One generation: the rendered prompt text (see {@link LanguageModel#render}), how to sample, how many
 * tokens at most, and the strings that end it (not included in the text).
 */
public record GenerationRequest(String prompt, Sampling sampling, int maxTokens, List<String> stop, Cancellation cancellation) {

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        sampling = sampling == null ? Sampling.GREEDY : sampling;
        stop = stop == null ? List.of() : List.copyOf(stop);
        cancellation = cancellation == null ? new Cancellation() : cancellation;
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1");
        }
    }

    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, Sampling.GREEDY, maxTokens, List.of(), null);
    }
}
