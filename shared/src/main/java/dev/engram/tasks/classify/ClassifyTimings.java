package dev.engram.tasks.classify;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a classification's time went, in milliseconds: embedding the text and labels, tokenising the
 * prompt and each prompt + label text, waiting for the model's turn, the prompt, the labels, and the
 * whole request. {@code promptMs} is the shared prompt's forward
 * pass (once per request), {@code labelsMs} all label continuations together: their quotient by the
 * label count is the marginal cost of a label. Parts a mode did not use are 0.
 */
@RegisterForReflection
public record ClassifyTimings(
        double embeddingMs, double tokenizeMs, double queueMs, double promptMs, double labelsMs, double totalMs) {
    static double ms(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }
}
