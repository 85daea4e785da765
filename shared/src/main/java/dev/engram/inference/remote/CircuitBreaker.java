package dev.engram.inference.remote;

import dev.engram.errors.UnavailableException;
import java.net.URI;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling an inference server that keeps failing. Closed: calls go through and consecutive
 * failures (the server unreachable after the retries, or a stream that broke) are counted; at
 * {@code failureThreshold} it opens. Open: calls fail at once with 503 {@code inference_unavailable}
 * and a Retry-After of the time left, without touching the network. After {@code openDuration} it is
 * half-open: one call (the probe) goes through while the others still fail fast; its success closes
 * the breaker, its failure opens it again for another {@code openDuration}.
 *
 * <p>A small state machine rather than SmallRye Fault Tolerance's {@code @CircuitBreaker}: the engine
 * is not a CDI bean, and a generation is one streaming call whose outcome is known only at its end.
 */
final class CircuitBreaker {
    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int failureThreshold;
    private final Duration openDuration;
    private final URI server;
    private final LongSupplier clock;
    private State state = State.CLOSED;
    private int failures;
    private long openedAt;
    private boolean probing;

    CircuitBreaker(int failureThreshold, Duration openDuration, URI server) {
        this(failureThreshold, openDuration, server, System::nanoTime);
    }

    CircuitBreaker(int failureThreshold, Duration openDuration, URI server, LongSupplier clock) {
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.server = server;
        this.clock = clock;
    }

    /** Lets a call through, or throws the fast 503. {@code failureThreshold} 0 disables the breaker. */
    synchronized void allow() {
        if (failureThreshold <= 0 || state == State.CLOSED) {
            return;
        }
        long left = openDuration.toNanos() - (clock.getAsLong() - openedAt);
        if (state == State.OPEN && left <= 0) {
            state = State.HALF_OPEN;
            probing = false;
        }
        if (state == State.HALF_OPEN && !probing) {
            probing = true; // this call is the probe
            return;
        }
        Duration retryAfter = state == State.OPEN ? Duration.ofNanos(left) : Duration.ofSeconds(1);
        throw new UnavailableException(
                "inference_unavailable",
                "The inference server at " + server + " failed "
                        + failureThreshold + " calls in a row; calls are paused for " + openDuration.toMillis()
                        + " ms before it is tried again"
                        + (state == State.HALF_OPEN ? " (a probe call is in flight)" : ""),
                retryAfter);
    }

    /** The server answered (including with a refusal of the request itself). */
    synchronized void succeeded() {
        state = State.CLOSED;
        failures = 0;
        probing = false;
    }

    /** The server could not be reached or broke mid-stream. */
    synchronized void failed() {
        failures++;
        if (state == State.HALF_OPEN
                || (state == State.CLOSED && failureThreshold > 0 && failures >= failureThreshold)) {
            state = State.OPEN;
            openedAt = clock.getAsLong();
            probing = false;
        }
    }

    /** A call let through that ended neither way (cancelled before an answer): the probe slot is freed. */
    synchronized void released() {
        probing = false;
    }

    synchronized State state() {
        if (state == State.OPEN && clock.getAsLong() - openedAt >= openDuration.toNanos()) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
