package dev.engram.inference;

/**
 * What an engine tells the outside about its generations: queueing, the prefill and decode phases,
 * the outcome. Metrics and traces (dev.engram.observability) listen here, so the engines stay free of
 * any metrics or tracing library. Engines call it on the generating thread.
 */
public interface InferenceObserver {
    InferenceObserver NONE = model -> Generation.NONE;

    /** A generation on {@code model} was asked for; the returned handle follows it to its end. */
    Generation begin(String model);

    /** One generation's phases, called in this order (any may be skipped when the generation fails early). */
    interface Generation {
        Generation NONE = new Generation() {};

        /** It has to wait behind another generation. */
        default void queued() {}

        /** It may run now, after waiting {@code waitNanos} (0 when it did not wait). */
        default void admitted(long waitNanos) {}

        /** It was turned away before running ({@code code}: overloaded, deadline_exceeded, inference_unavailable...). */
        default void rejected(String code) {}

        /** The prompt has been read (in-process: the prefill pass; remote: the first token arrived). */
        default void prefilled() {}

        /** It ended with {@code result}. */
        default void finished(GenerationResult result) {}

        /** It failed after it was admitted. */
        default void failed(Throwable error) {}
    }
}
