package dev.engram.auth;

import dev.engram.errors.UnavailableException;
import java.time.Duration;

/** 429 {@code rate_limited} with Retry-After: the tenant used up its requests for now. */
public final class RateLimitedException extends UnavailableException {
    public RateLimitedException(String message, Duration retryAfter) {
        super(429, "rate_limited", message, retryAfter, null);
    }
}
