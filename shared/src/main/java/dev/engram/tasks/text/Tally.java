package dev.engram.tasks.text;

import dev.engram.errors.UnavailableException;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationResult;
import dev.engram.tasks.Timings;
import dev.engram.tasks.Usage;
import java.time.Duration;

/**
 * Adds up the model calls of a task that makes several (map-reduce steps, translated chunks) into one
 * {@link Usage} and one {@link Timings}: tokens summed; time to first token of the first call measured
 * from the start of the task; decode speed over all calls; total wall time.
 */
public final class Tally {
    private final long start = System.nanoTime();
    private int promptTokens;
    private int completionTokens;
    private long firstTokenNanos = -1;
    private long decodeNanos;
    private int decodedAfterFirst;

    /**
     * Counts a step. A step cut by the request's deadline ends the task with 503 {@code deadline_exceeded}:
     * a summary or translation missing its later steps would look complete, and these answers have no
     * finish reason to say otherwise.
     */
    public GenerationResult add(GenerationResult result) {
        if (result.finishReason() == FinishReason.TIMEOUT) {
            throw new UnavailableException(
                    "deadline_exceeded",
                    "The request's deadline (engram.request.timeout) passed after "
                            + (System.nanoTime() - start) / 1_000_000
                            + " ms, during one of its model calls; a partial result is not returned. "
                            + "Retry with a shorter text, or raise engram.request.timeout.",
                    Duration.ofSeconds(1));
        }
        if (firstTokenNanos < 0) {
            firstTokenNanos = System.nanoTime() - start - (result.totalNanos() - result.timeToFirstTokenNanos());
        }
        promptTokens += result.promptTokens();
        completionTokens += result.completionTokens();
        if (result.completionTokens() > 1) {
            decodeNanos += result.totalNanos() - result.timeToFirstTokenNanos();
            decodedAfterFirst += result.completionTokens() - 1;
        }
        return result;
    }

    public Usage usage() {
        return new Usage(promptTokens, completionTokens);
    }

    /** All zero but {@code totalMs} when no model call ran. */
    public Timings timings() {
        double total = (System.nanoTime() - start) / 1e6;
        double tokensPerSecond = decodeNanos > 0 ? decodedAfterFirst * 1e9 / decodeNanos : 0;
        return new Timings(round(Math.max(0, firstTokenNanos) / 1e6), round(tokensPerSecond), round(total));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
