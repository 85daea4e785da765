package dev.engram.inference;

import java.util.List;
import java.util.Objects;

/**
 * One generation: the rendered prompt text (see {@link LanguageModel#render}), how to sample, how many
 * tokens at most, and the strings that end it (not included in the text). {@code source}, when given,
 * is the {@link Prompt} the text was rendered from: an engine whose server applies its own chat
 * template (the remote engine) sends its messages instead of the text; in-process engines ignore it.
 */
public record GenerationRequest(String prompt, Sampling sampling, int maxTokens, List<String> stop, Cancellation cancellation,
        Prompt source) {

    public GenerationRequest(String prompt, Sampling sampling, int maxTokens, List<String> stop, Cancellation cancellation) {
        this(prompt, sampling, maxTokens, stop, cancellation, null);
    }

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        sampling = sampling == null ? Sampling.GREEDY : sampling;
        stop = stop == null ? List.of() : List.copyOf(stop);
        // Without its own: the request's (its deadline, see Cancellation.begin), or a fresh one.
        cancellation = cancellation == null ? Cancellation.current() : cancellation;
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1");
        }
    }

    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, Sampling.GREEDY, maxTokens, List.of(), null);
    }
}
