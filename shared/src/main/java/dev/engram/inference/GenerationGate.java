package dev.engram.inference;

import dev.engram.errors.UnavailableException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lets one generation run at a time per loaded model (Jlama's forward pass is not thread-safe) and
 * keeps the callers waiting behind it in a bounded, first-come-first-served queue with a bounded wait.
 * A caller that finds the queue full, or waits too long, gets a 503 with Retry-After instead.
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
        if (running.tryAcquire()) {
            return running::release;
        }
        if (waiting.incrementAndGet() > queueSize) {
            waiting.decrementAndGet();
            throw overloaded("the generation queue is full (" + queueSize + " waiting)");
        }
        try {
            if (!running.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw overloaded("waited " + timeout.toMillis() + " ms for the model without getting a turn");
            }
            return running::release;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw overloaded("interrupted while waiting for the model");
        } finally {
            waiting.decrementAndGet();
        }
    }

    private UnavailableException overloaded(String why) {
        return new UnavailableException("overloaded", "The model is busy: " + why + ". Retry later.", timeout);
    }
}
