package dev.engram.inference;

import dev.engram.inference.structured.ResponseFormat;
import java.util.List;
import java.util.Objects;

/**
 * One generation: the rendered prompt text (see {@link LanguageModel#render}), how to sample, how many
 * tokens at most, and the strings that end it (not included in the text). {@code source}, when given,
 * is the {@link Prompt} the text was rendered from: an engine whose server applies its own chat
 * template (the remote engine) sends its messages instead of the text; in-process engines ignore it.
 * {@code format}, when given, constrains the output to JSON (see {@link ResponseFormat}); null is free text.
 */
public record GenerationRequest(String prompt, Sampling sampling, int maxTokens, List<String> stop, Cancellation cancellation,
        Prompt source, ResponseFormat format) {

    public GenerationRequest(String prompt, Sampling sampling, int maxTokens, List<String> stop, Cancellation cancellation) {
        this(prompt, sampling, maxTokens, stop, cancellation, null, null);
    }

    public GenerationRequest(String prompt, Sampling sampling, int maxTokens, List<String> stop, Cancellation cancellation,
            Prompt source) {
        this(prompt, sampling, maxTokens, stop, cancellation, source, null);
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
        return new GenerationRequest(prompt, sampling, maxTokens, stop, cancellation, source, format);
    }

    public static GenerationRequest greedy(String prompt, int maxTokens) {
        return new GenerationRequest(prompt, Sampling.GREEDY, maxTokens, List.of(), null);
    }
}
