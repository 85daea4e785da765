package dev.engram.inference;

import java.time.Duration;

/**
 * A flag the caller sets to end a generation after the token in flight, and the request's deadline
 * ({@code engram.request.timeout}): an engine stops at the deadline with {@link FinishReason#TIMEOUT}.
 *
 * <p>One request may run several generations (a summary's map-reduce steps, a translation's chunks,
 * a working-memory fold): the task passes its one cancellation to each, so they share one deadline.
 */
public final class Cancellation {
    private volatile boolean cancelled;
    /** System.nanoTime() of the deadline; {@code hasDeadline} false: none. */
    private volatile long deadline;

    private volatile boolean hasDeadline;

    public Cancellation() {}

    /** A cancellation whose deadline is {@code timeout} from now. */
    public static Cancellation within(Duration timeout) {
        Cancellation cancellation = new Cancellation();
        cancellation.limit(timeout);
        return cancellation;
    }

    /** Sets the deadline to {@code timeout} from now, unless an earlier one is already set. */
    public void limit(Duration timeout) {
        long at = System.nanoTime() + timeout.toNanos();
        if (!hasDeadline || at - deadline < 0) {
            deadline = at;
            hasDeadline = true;
        }
    }

    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Whether the deadline has passed. */
    public boolean expired() {
        return hasDeadline && System.nanoTime() - deadline >= 0;
    }

    /** Time left before the deadline (zero once passed; very long without one). */
    public Duration remaining() {
        if (!hasDeadline) {
            return Duration.ofDays(365);
        }
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }
}
