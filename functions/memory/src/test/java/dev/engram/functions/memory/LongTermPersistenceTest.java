package dev.engram.functions.memory;

import static dev.engram.functions.memory.LongTerm.remember;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.longterm.VectorIndexes;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Memories are durable: remembered, then redis-server stopped (or killed) and started again (AOF,
 * fsync always, no RDB), they are recalled — by the same warm function, whose cached version must not
 * hide them, and by a cold instance.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class LongTermPersistenceTest {

    @Inject
    RedisGateway redis;

    @Inject
    Embedder embedder;

    @Inject
    MemoryConfig config;

    @Test
    void aMemorySurvivesARedisRestart() throws InterruptedException {
        given().contentType(ContentType.JSON)
                .body(Map.of("all", true))
                .post("/forget")
                .then()
                .statusCode(200);
        String id = remember(Map.of("text", "The wedding anniversary is on the 12th of August.", "userId", "kim"));

        RedisTestResource.server().stop();
        RedisTestResource.server().start();

        assertRecalled(id);
    }

    @Test
    void anAcknowledgedMemorySurvivesAKilledRedisAndAColdInstanceFindsIt() throws InterruptedException {
        given().contentType(ContentType.JSON)
                .body(Map.of("all", true))
                .post("/forget")
                .then()
                .statusCode(200);
        String id = remember(Map.of("text", "The wedding anniversary is on the 12th of August.", "userId", "kim"));

        RedisTestResource.server().kill(); // SIGKILL: only what the AOF (fsync always) holds survives
        RedisTestResource.server().start();

        assertRecalled(id);
        // A fresh instance (empty cache, as after scale-to-zero) finds it too.
        LongTermMemory cold = new LongTermMemory(redis, embedder, new VectorIndexes(redis, config, embedder), config);
        assertThat(cold.recall(Tenant.DEFAULT.id(), new RecallQuery("When is our anniversary?", 5, null, 0.3f)))
                .extracting(RecallHit::id)
                .containsExactly(id);
    }

    private static void assertRecalled(String id) throws InterruptedException {
        Response recall = null;
        for (int attempt = 0; attempt < 50; attempt++) { // the client reconnects by itself; until then 503
            recall = given().contentType(ContentType.JSON)
                    .body(Map.of("query", "When is our anniversary?", "minScore", 0.3))
                    .post("/recall");
            if (recall.statusCode() != 503) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(recall.statusCode()).isEqualTo(200);
        List<String> ids = recall.jsonPath().getList("hits.id", String.class);
        assertThat(ids).containsExactly(id);
        assertThat(recall.jsonPath().getString("hits[0].userId")).isEqualTo("kim");
    }
}
