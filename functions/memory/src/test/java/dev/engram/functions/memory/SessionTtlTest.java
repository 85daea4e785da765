package dev.engram.functions.memory;

import static dev.engram.functions.memory.Sessions.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions expire after {@code engram.memory.session-ttl} without use. The sleeps are there to let
 * time pass, not to measure speed. A sleep lasts at least what it says, so "gone" checks are safe with
 * a small margin past the TTL; "still there" checks come at half the TTL, leaving two seconds for a
 * slow, busy machine.
 */
@QuarkusTest
@TestProfile(SessionTtlTest.ShortTtl.class)
@QuarkusTestResource(RedisTestResource.class)
class SessionTtlTest {
    static final String TENANT = Tenant.DEFAULT.id();
    static final long TTL_MS = 4000;
    static final long HALF_TTL_MS = TTL_MS / 2;
    static final long PAST_TTL_MS = TTL_MS + 500;

    public static class ShortTtl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("engram.memory.session-ttl", TTL_MS + "ms");
        }
    }

    @Inject
    SessionStore store;

    /** RestAssured's first request in a JVM is slow to start; keep that out of the timed windows. */
    @BeforeEach
    void warmUp() {
        get("warm-up").statusCode(404);
    }

    @Test
    void anUnusedSessionExpires() throws InterruptedException {
        String id = Sessions.newId("expire");
        store.append(TENANT, id, Sessions.pair("q", "a"));
        get(id).statusCode(200).body("ttlSeconds", allOf(greaterThan(0), lessThanOrEqualTo(4)));

        Thread.sleep(PAST_TTL_MS);

        get(id).statusCode(404);
        assertThat(store.load(TENANT, id).exists()).isFalse();
    }

    @Test
    void loadAndAppendSlideTheExpiry() throws InterruptedException {
        String id = Sessions.newId("sliding");
        store.append(TENANT, id, Sessions.pair("q1", "a1"));
        Thread.sleep(HALF_TTL_MS);
        assertThat(store.load(TENANT, id).exists()).isTrue(); // a use: the TTL starts again
        Thread.sleep(PAST_TTL_MS - HALF_TTL_MS); // now past the first TTL
        Session appended = store.append(TENANT, id, Sessions.pair("q2", "a2"));
        assertThat(appended.turns()).hasSize(4);
        assertThat(appended.ttlSecondsLeft()).isEqualTo(TTL_MS / 1000);
        Thread.sleep(HALF_TTL_MS);
        assertThat(store.load(TENANT, id).turns()).hasSize(4);
    }

    @Test
    void lookingAtASessionDoesNotKeepItAlive() throws InterruptedException {
        String id = Sessions.newId("peek");
        store.append(TENANT, id, Sessions.pair("q", "a"));
        Thread.sleep(HALF_TTL_MS);
        get(id).statusCode(200);
        assertThat(store.peek(TENANT, id).exists()).isTrue();
        Thread.sleep(PAST_TTL_MS - HALF_TTL_MS);
        get(id).statusCode(404);
    }
}
