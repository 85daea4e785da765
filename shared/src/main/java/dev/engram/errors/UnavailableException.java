package dev.engram.errors;

import java.time.Duration;

/**
 * The request is fine but cannot be served right now (queue full, model still loading, Redis down):
 * HTTP 503 with a Retry-After hint.
 */
public class UnavailableException extends EngramException {
    private final Duration retryAfter;

    public UnavailableException(String code, String message, Duration retryAfter) {
        this(code, message, retryAfter, null);
    }

    public UnavailableException(String code, String message, Duration retryAfter, Throwable cause) {
        this(503, code, message, retryAfter, cause);
    }

    /** Another "come back later" status (429 for a caller over its rate limit): every binding adds Retry-After alike. */
    protected UnavailableException(int status, String code, String message, Duration retryAfter, Throwable cause) {
        super(status, code, message, cause);
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, at least one, as the Retry-After header wants them. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
