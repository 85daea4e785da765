package dev.engram.inference;

import java.time.Duration;

/**
 * A flag the caller sets to end a generation after the token in flight, and the request's deadline
 * ({@code engram.request.timeout}): an engine stops at the deadline with {@link FinishReason#TIMEOUT}.
 *
 * <p>One request may run several generations (a summary's map-reduce steps, a translation's chunks,
 * a working-memory fold): they share one deadline. The task opens it once with {@link #begin} on the
 * request's thread, and every {@link GenerationRequest} built there without its own cancellation picks
 * it up through {@link #current()}, so the steps need not pass it along.
 */
public final class Cancellation {
    private static final ThreadLocal<Cancellation> CURRENT = new ThreadLocal<>();

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

    /** The request's cancellation on this thread (see {@link #begin}), else a fresh one without deadline. */
    public static Cancellation current() {
        Cancellation current = CURRENT.get();
        return current != null ? current : new Cancellation();
    }

    /**
     * Makes {@code cancellation} this thread's request cancellation until the scope is closed. A scope
     * opened inside another (a task calling a task) keeps the outer one, so the first deadline holds.
     */
    public static Scope begin(Cancellation cancellation) {
        Cancellation outer = CURRENT.get();
        if (outer != null) {
            return () -> {};
        }
        CURRENT.set(cancellation);
        return CURRENT::remove;
    }

    /** An open {@link #begin} scope; closing it never throws. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
