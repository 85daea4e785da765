package dev.engram.inference;

import dev.engram.inference.structured.ResponseFormat;
import java.util.List;
import java.util.Objects;

/**
 * One generation: the {@link Prompt} (the engine renders it for itself, see {@link LanguageModel#render}),
 * how to sample, how many tokens at most, and the strings that end it (not included in the text).
 * {@code format}, when given, constrains the output to JSON (see {@link ResponseFormat}); null is free text.
 */
public record GenerationRequest(
        Prompt prompt,
        Sampling sampling,
        int maxTokens,
        List<String> stop,
        Cancellation cancellation,
        ResponseFormat format) {

    public GenerationRequest(
            Prompt prompt, Sampling sampling, int maxTokens, List<String> stop, Cancellation cancellation) {
        this(prompt, sampling, maxTokens, stop, cancellation, null);
    }

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        sampling = sampling == null ? Sampling.GREEDY : sampling;
        stop = stop == null ? List.of() : List.copyOf(stop);
        // None given (a caller outside any request): one without deadline.
        cancellation = cancellation == null ? new Cancellation() : cancellation;
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1");
        }
    }

    /** The same generation, its output constrained to {@code format} (null: free text). */
    public GenerationRequest withFormat(ResponseFormat format) {
        return new GenerationRequest(prompt, sampling, maxTokens, stop, cancellation, format);
    }

    public static GenerationRequest greedy(Prompt prompt, int maxTokens) {
        return new GenerationRequest(prompt, Sampling.GREEDY, maxTokens, List.of(), null);
    }
}
