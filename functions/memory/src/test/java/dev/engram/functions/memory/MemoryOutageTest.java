package dev.engram.functions.memory;

import static dev.engram.functions.memory.Sessions.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.engram.errors.UnavailableException;
import dev.engram.memory.session.SessionStore;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisServer;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Redis goes away: a clear 503; Redis comes back: memory works again without a restart. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class MemoryOutageTest {
    static final String TENANT = Tenant.DEFAULT.id();
    static final long RECOVERY_BOUND_MS = 20_000;

    @Inject
    SessionStore store;

    @Test
    void redisDownIs503AndRedisBackWorksAgain() throws InterruptedException {
        String id = Sessions.newId("outage");
        store.append(TENANT, id, Sessions.pair("before", "the outage"));
        get(id).statusCode(200); // the client has a pooled connection that the kill will break

        RedisServer redis = RedisTestResource.server();
        redis.kill();
        try {
            get(id).statusCode(503)
                    .contentType("application/json")
                    .header("Retry-After", "5")
                    .body("error", is("memory_unavailable"))
                    .body("message", containsString("Redis at 127.0.0.1:" + redis.port() + " cannot be reached"));
            Sessions.delete(id).statusCode(503).body("error", is("memory_unavailable"));
            assertThatThrownBy(() -> store.append(TENANT, id, Sessions.pair("during", "the outage")))
                    .isInstanceOf(UnavailableException.class);
        } finally {
            redis.start();
        }

        // bounded: the client re-connects on its own; this only waits for it
        long deadline = System.currentTimeMillis() + RECOVERY_BOUND_MS;
        int status = 0;
        while (System.currentTimeMillis() < deadline) {
            status = get(id).extract().statusCode();
            if (status == 200) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(status).as("session-get after Redis restarted").isEqualTo(200);
        // appendfsync always + same data dir: what was acknowledged before the kill survived it
        get(id).body("turns.text", contains("before", "the outage"));
        assertThat(store.append(TENANT, id, Sessions.pair("after", "the outage"))
                        .turns())
                .hasSize(4);
    }

    @Test
    void aHungRedisIs503AfterTheCommandTimeoutNotAHang() throws InterruptedException {
        String id = Sessions.newId("hung");
        store.append(TENANT, id, Sessions.pair("before", "the hang"));

        RedisServer redis = RedisTestResource.server();
        redis.pause();
        try {
            long started = System.nanoTime();
            get(id).statusCode(503)
                    .body("error", is("memory_unavailable"))
                    .body("message", containsString("did not answer in time"));
            // quarkus.redis.timeout is 3 s; the bound only proves the request did not hang
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(RECOVERY_BOUND_MS);
        } finally {
            redis.resume();
        }

        long deadline = System.currentTimeMillis() + RECOVERY_BOUND_MS;
        int status = 0;
        while (System.currentTimeMillis() < deadline
                && (status = get(id).extract().statusCode()) != 200) {
            Thread.sleep(200);
        }
        assertThat(status).as("session-get after Redis resumed").isEqualTo(200);
    }
}
