package dev.engram.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Per-tenant limits: {@code engram.limits.*} are the defaults, {@code engram.limits.tenant."<t>".*}
 * override them for one tenant. 0 means "no limit" for the rate and the token cap.
 */
@ConfigMapping(prefix = "engram.limits")
public interface LimitsConfig {

    /** Requests a tenant may make per minute, summed over every instance (a Redis token bucket). 0: unlimited. */
    @WithDefault("0")
    int requestsPerMinute();

    /** The bucket's size: requests a tenant may make at once after a quiet spell. Default: one minute's worth. */
    OptionalInt burst();

    /** Largest request body in bytes (a larger Content-Length is refused with 413 before it is read). */
    @WithDefault("4194304")
    long maxBodyBytes();

    /** Most tokens a request may ask the model to generate ({@code maxTokens}, {@code max_tokens}). 0: only the model's context limits it. */
    @WithDefault("0")
    int maxTokens();

    /** Overrides per tenant. */
    Map<String, TenantLimits> tenant();

    interface TenantLimits {
        OptionalInt requestsPerMinute();

        OptionalInt burst();

        OptionalLong maxBodyBytes();

        OptionalInt maxTokens();
    }
}
