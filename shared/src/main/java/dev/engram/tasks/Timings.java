package dev.engram.tasks;

import dev.engram.inference.GenerationResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a call's time went, in milliseconds. {@code tokensPerSecond} is the decode rate (tokens after
 * the first over the time after the first).
 */
@RegisterForReflection
public record Timings(double timeToFirstTokenMs, double tokensPerSecond, double totalMs) {
    public static Timings of(GenerationResult result) {
        return new Timings(
                round(result.timeToFirstTokenNanos() / 1e6),
                round(result.tokensPerSecond()),
                round(result.totalNanos() / 1e6));
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
