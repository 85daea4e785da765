package dev.engram.inference;

import dev.engram.errors.UnavailableException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets one generation run at a time per loaded model (Jlama's forward pass is not thread-safe) and
 * keeps the callers waiting behind it in a bounded, first-come-first-served queue with a bounded wait.
 * A caller that finds the queue full, or waits too long, gets a 503 with Retry-After instead. The wait
 * is bounded by the request's deadline too: a request still queued at its deadline gets 503
 * {@code deadline_exceeded}.
 */
public final class GenerationGate {
    private final Semaphore running = new Semaphore(1, true);
    private final AtomicInteger waiting = new AtomicInteger();
    private final int queueSize;
    private final Duration timeout;

    public GenerationGate(int queueSize, Duration timeout) {
        if (queueSize < 0) {
            throw new IllegalArgumentException("queue size must be >= 0");
        }
        this.queueSize = queueSize;
        this.timeout = timeout;
    }

    /** A held turn; close it to let the next caller in. */
    public interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    public Turn enter() {
        return enter(new Cancellation(), InferenceObserver.Generation.NONE);
    }

    /** Waits for a turn at most the queue timeout and at most until {@code cancellation}'s deadline. */
    public Turn enter(Cancellation cancellation, InferenceObserver.Generation observed) {
        if (running.tryAcquire()) {
            observed.admitted(0);
            return running::release;
        }
        if (waiting.incrementAndGet() > queueSize) {
            waiting.decrementAndGet();
            observed.rejected("overloaded");
            throw overloaded("the generation queue is full (" + queueSize + " waiting)");
        }
        observed.queued();
        long start = System.nanoTime();
        Duration remaining = cancellation.remaining();
        boolean deadlineFirst = remaining.compareTo(timeout) < 0;
        try {
            if (!running.tryAcquire((deadlineFirst ? remaining : timeout).toNanos(), TimeUnit.NANOSECONDS)) {
                if (deadlineFirst) {
                    observed.rejected("deadline_exceeded");
                    throw new UnavailableException(
                            "deadline_exceeded",
                            "The request's deadline passed while it waited " + (System.nanoTime() - start) / 1_000_000
                                    + " ms for the model (engram.request.timeout). Retry later.",
                            timeout);
                }
                observed.rejected("overloaded");
                throw overloaded("waited " + timeout.toMillis() + " ms for the model without getting a turn");
            }
            observed.admitted(System.nanoTime() - start);
            return running::release;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            observed.rejected("overloaded");
            throw overloaded("interrupted while waiting for the model");
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Requests waiting for a turn now. */
    public int waiting() {
        return waiting.get();
    }

    /** Whether a generation holds the model now (a leaked turn would keep this true). */
    public boolean busy() {
        return running.availablePermits() == 0;
    }

    private UnavailableException overloaded(String why) {
        return new UnavailableException("overloaded", "The model is busy: " + why + ". Retry later.", timeout);
    }
}
