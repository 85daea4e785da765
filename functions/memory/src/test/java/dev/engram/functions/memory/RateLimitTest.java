package dev.engram.functions.memory;

import static dev.engram.testing.AuthProfile.ALPHA_KEY;
import static dev.engram.testing.AuthProfile.BETA_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.engram.testing.AuthProfile;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A per-tenant override of the rate limit: alpha may send 3 at once (then 1 a minute), beta has the
 * default (none). Over the limit is 429 {@code rate_limited} with Retry-After; while Redis is away the
 * limiter lets requests through (they then fail or work on their own merits).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(RateLimitTest.AlphaLimited.class)
class RateLimitTest {
    public static class AlphaLimited extends AuthProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of(
                    "engram.limits.tenant.alpha.requests-per-minute", "1", "engram.limits.tenant.alpha.burst", "3");
        }
    }

    static final String BODY = "{\"sessionId\":\"none\"}";

    @Test
    void overTheLimitIs429WithRetryAfterAndOtherTenantsAreNotAffected() {
        for (int i = 0; i < 3; i++) {
            MemoryAuthTest.call(ALPHA_KEY, "session-delete", BODY).statusCode(200);
        }
        String retryAfter = MemoryAuthTest.call(ALPHA_KEY, "session-delete", BODY)
                .statusCode(429)
                .body("error", is("rate_limited"))
                .body("message", startsWith("Tenant 'alpha' is over its limit of 1 requests per minute (bursts of 3)"))
                .extract()
                .header("Retry-After");
        // one token a minute: the next one is up to 60 s away
        assertThat(Integer.parseInt(retryAfter)).isBetween(50, 60);
        MemoryAuthTest.call(ALPHA_KEY, "recall", "{\"query\":\"x\"}").statusCode(429);
        for (int i = 0; i < 10; i++) {
            MemoryAuthTest.call(BETA_KEY, "session-delete", BODY).statusCode(200);
        }

        // Redis away: fail open, so alpha's request gets as far as memory (503), not 429
        RedisTestResource.server().stop();
        try {
            MemoryAuthTest.call(ALPHA_KEY, "session-delete", BODY)
                    .statusCode(503)
                    .body("error", is("memory_unavailable"));
        } finally {
            RedisTestResource.server().start();
        }
    }
}
