package dev.engram.batch;

import java.time.Duration;

/** A job a {@link BatchRunner} works on in this instance, with what its worker and ticker keep of it. */
final class ActiveJob {
    /** Most lines claimed at once: enough to spread a claim's disk sync thin, few enough to share a job fairly. */
    private static final int MAX_CLAIM = 16;

    final BatchKeys keys;
    volatile boolean workerDone;
    long lastLog;
    /** Writes into the output that failed in a row (the ticker's alone), and when the next may be tried. */
    int sinkFailures;

    long nextSinkAttempt;
    /** Recent time per line (moving average), 0 before the first; the worker thread's alone. */
    private long lineNanos;

    ActiveJob(BatchKeys keys) {
        this.keys = keys;
    }

    void timed(long nanos) {
        lineNanos = lineNanos == 0 ? nanos : (3 * lineNanos + nanos) / 4;
    }

    /**
     * Lines to claim at once: as many as run in a quarter of claim-idle at the pace so far, so a
     * claimed line never sits long enough to look abandoned; one until a line has been timed.
     */
    int chunk(Duration claimIdle) {
        return lineNanos == 0 ? 1 : (int) Math.clamp(claimIdle.toNanos() / 4 / lineNanos, 1, MAX_CLAIM);
    }
}
