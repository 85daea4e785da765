package dev.engram.tasks.text;

import dev.engram.inference.GenerationResult;
import dev.engram.tasks.Timings;
import dev.engram.tasks.Usage;

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

    public GenerationResult add(GenerationResult result) {
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
