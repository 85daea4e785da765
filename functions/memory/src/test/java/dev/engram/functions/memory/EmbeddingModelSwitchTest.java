package dev.engram.functions.memory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.errors.EngramException;
import dev.engram.memory.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.embedding.Embedders;
import dev.engram.memory.embedding.EmbeddingModel;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.LtmKeys;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.longterm.Reembedded;
import dev.engram.memory.longterm.Reembedder;
import dev.engram.memory.longterm.Remembered;
import dev.engram.memory.longterm.VectorIndexes;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.redis.client.Command;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tenant's memories remember the model that embedded them. Here an instance configured for MiniLM
 * (built beside the function's own, which runs the default e5) shares a real Redis with the function:
 * the other model's recall and remember are refused with 409 naming both models, memories stored
 * before models were recorded count as MiniLM's, and the re-embed path (bounded steps, interrupted and
 * resumed by another instance, with writes and forgets in between) leaves every memory with the new
 * model's vector in the hash and in the scan's int8 rows.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class EmbeddingModelSwitchTest {
    static final List<String> FACTS = List.of(
            "Ada has a grey cat called Smoke.",
            "The office closes at noon on Fridays.",
            "Our production database runs PostgreSQL 16 on three replicas.",
            "Tom is allergic to peanuts.",
            "The flight to Lisbon leaves at 7:40 from terminal 2.",
            "Lena is learning to play the cello.",
            "The invoice for the new laptops is due at the end of the month.");

    @Inject
    LongTermMemory memory;

    @Inject
    Embedder embedder;

    @Inject
    Embedders embedders;

    @Inject
    RedisGateway redis;

    @Inject
    MemoryConfig config;

    @Inject
    Reembedder reembedder;

    LongTermMemory miniLm() {
        Embedder mini = embedders.get(EmbeddingModel.MINILM);
        return new LongTermMemory(redis, mini, new VectorIndexes(redis, config, mini), config);
    }

    @Test
    void anotherModelsRecallAndRememberAreRefusedNamingBothModels() {
        String tenant = "switch";
        memory.forgetAll(tenant);
        LongTermMemory mini = miniLm();
        mini.rememberAll(tenant, FACTS.stream().map(NewMemory::of).toList());
        assertThat(redis.execute(Command.HGET, LtmKeys.of(tenant).version(), "model")
                        .toString())
                .isEqualTo("all-minilm-l6-v2-q");

        assertThatThrownBy(() -> memory.recall(tenant, RecallQuery.of("Which pet does Ada have?", 3)))
                .isInstanceOfSatisfying(EngramException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.code()).isEqualTo("embedding_model_mismatch");
                    assertThat(e.getMessage())
                            .contains(
                                    "all-minilm-l6-v2-q",
                                    "e5-small-v2-q",
                                    "/memory-reembed",
                                    "engram.embedding.model=all-minilm-l6-v2-q");
                });
        assertThatThrownBy(() -> memory.remember(tenant, NewMemory.of("Ada also has a dog.")))
                .isInstanceOfSatisfying(
                        EngramException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(mini.recall(tenant, RecallQuery.of("Which pet does Ada have?", 1))
                        .getFirst()
                        .text())
                .isEqualTo(FACTS.get(0));

        // stored before models were recorded: no model field, so MiniLM's
        redis.execute(Command.HDEL, LtmKeys.of(tenant).version(), "model");
        assertThatThrownBy(() -> memory.recall(tenant, RecallQuery.of("Which pet does Ada have?", 3)))
                .isInstanceOfSatisfying(
                        EngramException.class, e -> assertThat(e.getMessage()).contains("with all-minilm-l6-v2-q"));
        assertThatThrownBy(() -> memory.remember(tenant, NewMemory.of("Ada also has a dog.")))
                .isInstanceOfSatisfying(
                        EngramException.class, e -> assertThat(e.status()).isEqualTo(409));

        // an emptied tenant takes memories of any model again
        assertThat(mini.forgetAll(tenant)).isEqualTo(FACTS.size());
        assertThat(memory.remember(tenant, NewMemory.of("Ada also has a dog.")).deduplicated())
                .isFalse();
        assertThatThrownBy(() -> mini.recall(tenant, RecallQuery.of("Which pet does Ada have?", 3)))
                .isInstanceOfSatisfying(
                        EngramException.class, e -> assertThat(e.getMessage()).contains("embedded with e5-small-v2-q"));
        memory.forgetAll(tenant);
    }

    @Test
    void overHttpTheSwitchIsA409AndReembeddingStepByStepMakesRecallWorkAgain() {
        String tenant = Tenant.DEFAULT.id(); // authentication is off in these tests
        memory.forgetAll(tenant);
        miniLm().rememberAll(tenant, FACTS.stream().map(NewMemory::of).toList());

        post("recall", Map.of("query", "Which pet does Ada have?"))
                .statusCode(409)
                .body("error", is("embedding_model_mismatch"))
                .body("message", containsString("all-minilm-l6-v2-q"))
                .body("message", containsString("e5-small-v2-q"));

        post("memory-reembed", Map.of("tenant", tenant, "batch", 3))
                .statusCode(200)
                .body("model", is("e5-small-v2-q"))
                .body("from", is("all-minilm-l6-v2-q"))
                .body("reembedded", is(3))
                .body("done", is(false));
        post("recall", Map.of("query", "Which pet does Ada have?"))
                .statusCode(503)
                .header("Retry-After", notNullValue())
                .body("error", is("memory_reembedding"));
        // the new model's memories are accepted while the rest is re-embedded
        String added = post("remember", Map.of("text", "Ada's cat sleeps on the radiator."))
                .statusCode(200)
                .extract()
                .path("id");

        int steps = 0;
        boolean done = false;
        while (!done) {
            done = post("memory-reembed", Map.of("tenant", tenant, "batch", 3))
                    .statusCode(200)
                    .extract()
                    .path("done");
            assertThat(++steps).as("steps").isLessThan(10);
        }
        var recall = post("recall", Map.of("query", "Which pet does Ada have?", "k", 2))
                .statusCode(200)
                .body("model", is("e5-small-v2-q"))
                .body("minScore", is(EmbeddingModel.E5_SMALL.minScore()))
                .extract()
                .jsonPath();
        assertThat(recall.getList("hits.text")).contains(FACTS.get(0));
        assertThat(recall.getList("hits.id")).contains(added);
        post("memory-reembed", Map.of("tenant", tenant))
                .statusCode(200)
                .body("done", is(true))
                .body("reembedded", is(0));
        everyVectorIsTheModels(tenant);
        memory.forgetAll(tenant);
    }

    @Test
    void anInterruptedReembedIsResumedByAnotherInstanceAndChangesMeanwhileAreKept() {
        String tenant = "reembed";
        memory.forgetAll(tenant);
        LongTermMemory mini = miniLm();
        List<Remembered> stored =
                mini.rememberAll(tenant, FACTS.stream().map(NewMemory::of).toList());
        // the first step, as if its instance died right after it
        Reembedded first = reembedder.step(tenant, 2);
        assertThat(first.done()).isFalse();
        assertThat(first.remaining()).isEqualTo(FACTS.size() - 2);
        // meanwhile the new model's instance forgets one memory and adds one (into the freed slot, not yet reached)
        assertThat(memory.forgetId(tenant, stored.get(4).id())).isEqualTo(1);
        Remembered added = memory.remember(tenant, NewMemory.of("Paul drives an old red Volvo estate."));
        // a fresh instance (nothing cached) picks the work up where the cursor is
        Reembedder other = new Reembedder(redis, embedder);
        List<Reembedded> steps = new ArrayList<>();
        do {
            steps.add(other.step(tenant, 2));
        } while (!steps.getLast().done() && steps.size() < 10);
        assertThat(steps.getLast().done()).isTrue();
        assertThat(steps.stream().mapToInt(Reembedded::reembedded).sum())
                .as("re-embedded after the interruption")
                .isGreaterThanOrEqualTo(FACTS.size() - 2 - 1);

        List<RecallHit> hits = memory.recall(tenant, new RecallQuery("What car does Paul have?", 3, null, -1f));
        assertThat(hits.getFirst().id()).isEqualTo(added.id());
        assertThat(memory.recall(tenant, new RecallQuery(FACTS.get(4), 10, null, -1f)))
                .extracting(RecallHit::id)
                .doesNotContain(stored.get(4).id());
        everyVectorIsTheModels(tenant);
        assertThatThrownBy(() -> mini.recall(tenant, RecallQuery.of("Which pet does Ada have?", 3)))
                .isInstanceOfSatisfying(
                        EngramException.class, e -> assertThat(e.status()).isEqualTo(409));
        memory.forgetAll(tenant);
    }

    /** Every memory's stored float32 vector is this model's embedding of its text, and recall scores it so through the int8 rows. */
    private void everyVectorIsTheModels(String tenant) {
        LtmKeys keys = LtmKeys.of(tenant);
        List<String> ids = new ArrayList<>();
        redis.execute(Command.HKEYS, keys.slots()).forEach(id -> ids.add(id.toString()));
        assertThat(ids).isNotEmpty();
        for (String id : ids) {
            String text = redis.execute(Command.HGET, keys.memory(id), "text").toString();
            float[] vec = new float[embedder.dimensions()];
            ByteBuffer.wrap(redis.execute(Command.HGET, keys.memory(id), "vec").toBytes())
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(vec);
            float[] expected = embedder.embed(text);
            for (int i = 0; i < vec.length; i++) {
                assertThat(vec[i])
                        .as(text + " [" + i + "]")
                        .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-4f));
            }
            float[] query = embedder.embedQuery(text);
            RecallHit self =
                    memory.recall(tenant, new RecallQuery(text, 1, null, -1f)).getFirst();
            assertThat(self.id()).isEqualTo(id);
            assertThat(self.score())
                    .as(text)
                    .isCloseTo(dot(query, expected), org.assertj.core.data.Offset.offset(0.01f));
        }
    }

    private static io.restassured.response.ValidatableResponse post(String function, Map<String, ?> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/" + function)
                .then();
    }

    private static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
