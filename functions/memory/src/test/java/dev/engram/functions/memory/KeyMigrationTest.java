package dev.engram.functions.memory;

import static dev.engram.functions.memory.LongTerm.call;
import static dev.engram.functions.memory.LongTerm.remember;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.redis.client.Command;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Data written in the layout before Redis Cluster support (a session's {@code wm:<id>} and
 * {@code wm-turns:<id>}, long-term memory under {@code ltm:} without a hash tag, a batch job's keys
 * without one and the per-tenant set of unfinished jobs) is not read by today's functions, and
 * {@code infra/redis/migrate-keys.sh} moves it into today's layout, where the functions find it again.
 * Running it twice changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class KeyMigrationTest {
    static final String T = Tenant.DEFAULT.id();
    static final Path SCRIPT = Path.of("../../infra/redis/migrate-keys.sh");

    @Inject
    SessionStore sessions;

    @Inject
    LongTermMemory memory;

    @Inject
    RedisGateway redis;

    @Test
    void oldKeysAreMovedIntoTheTaggedLayout() throws Exception {
        memory.forgetAll(T);
        sessions.append(
                T, "mig:1", List.of(Turn.user("Where is the lighthouse?", 6, 1), Turn.assistant("On the cape.", 4, 2)));
        String id = remember(Map.of("text", "The lighthouse keeper is called Ada."));
        redis.execute(Command.HSET, "engram:" + T + ":batch:{" + T + "/job-1}:meta", "state", "running");
        Set<String> current = keys();

        // Back to the old names, as the code before cluster support wrote them.
        Set<String> moved = new TreeSet<>(
                current.stream().filter(key -> !old(key).equals(key)).toList());
        for (String key : moved) {
            redis.execute(Command.RENAME, key, old(key));
        }
        redis.execute(Command.SADD, "engram:" + T + ":batch:unfinished", "job-1");
        String output;
        try {
            assertThat(keys())
                    .contains(
                            "engram:" + T + ":wm:mig:1",
                            "engram:" + T + ":wm-turns:mig:1",
                            "engram:" + T + ":ltm:m:" + id,
                            "engram:" + T + ":batch:job-1:meta")
                    .doesNotContainAnyElementsOf(moved);
            given().contentType(ContentType.JSON)
                    .body(Map.of("sessionId", "mig:1"))
                    .post("/session-get")
                    .then()
                    .statusCode(404);
            assertThat(call("recall", Map.of("query", "Who keeps the lighthouse?"))
                            .getList("hits.id"))
                    .isEmpty();
        } finally {
            output = migrate(); // also when an assertion failed: the other tests share this Redis
        }
        assertThat(output).contains("Moved " + moved.size() + " keys");
        assertThat(keys()).isEqualTo(current);
        assertThat(call("session-get", Map.of("sessionId", "mig:1")).getList("turns.text"))
                .containsExactly("Where is the lighthouse?", "On the cape.");
        assertThat(call("recall", Map.of("query", "Who keeps the lighthouse?")).getList("hits.id"))
                .containsExactly(id);

        assertThat(migrate()).contains("Moved 0 keys");
        assertThat(keys()).isEqualTo(current);
        sessions.delete(T, "mig:1");
        memory.forgetAll(T);
        redis.execute(Command.DEL, "engram:" + T + ":batch:{" + T + "/job-1}:meta");
    }

    /** A key's name in the layout before cluster support. */
    private static String old(String key) {
        String tenant = "engram:" + T + ":";
        return key.replace(tenant + "wm:{" + T + "/mig:1}:meta", tenant + "wm:mig:1")
                .replace(tenant + "wm:{" + T + "/mig:1}:turns", tenant + "wm-turns:mig:1")
                .replace(tenant + "ltm:{" + T + "}:", tenant + "ltm:")
                .replace(tenant + "batch:{" + T + "/job-1}:", tenant + "batch:job-1:");
    }

    /** This tenant's keys (the module's other tests share the Redis, under other tenants). */
    private Set<String> keys() {
        Set<String> keys = new TreeSet<>();
        redis.execute(Command.KEYS, "engram:" + T + ":*").forEach(key -> keys.add(key.toString()));
        return keys;
    }

    private static String migrate() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "bash", SCRIPT.toString(), RedisTestResource.server().uri())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
