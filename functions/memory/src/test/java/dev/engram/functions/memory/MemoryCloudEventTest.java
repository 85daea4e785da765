package dev.engram.functions.memory;

import static dev.engram.testing.Events.binary;
import static dev.engram.testing.Events.structured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The memory functions behind a Knative trigger: each function has its own event type. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "knative",
        disabledReason = "runs in the -Dengram.binding=knative build")
class MemoryCloudEventTest {
    @Inject
    LongTermMemory memory;

    @Test
    void rememberByBinaryEventRecallByStructuredEvent() {
        memory.forgetAll(Tenant.DEFAULT.id());
        Response remembered =
                binary("remember", "mem-1", "{\"text\":\"Maria is allergic to peanuts.\",\"userId\":\"maria\"}");
        remembered
                .then()
                .statusCode(200)
                .header("ce-type", "remember.output")
                .header("ce-source", "remember")
                .header("ce-correlationid", "mem-1")
                .body("deduplicated", equalTo(false));
        String id = remembered.jsonPath().getString("id");
        assertThat(id).matches("[0-9a-f]{16}");

        structured("recall", "mem-2", Map.of("query", "What can Maria not eat?", "k", 1))
                .then()
                .statusCode(200)
                .body("type", equalTo("recall.output"))
                .body("correlationid", equalTo("mem-2"))
                .body("data.hits[0].id", equalTo(id))
                .body("data.hits[0].text", equalTo("Maria is allergic to peanuts."));

        binary("forget", "mem-3", "{\"id\":\"" + id + "\"}")
                .then()
                .statusCode(200)
                .header("ce-type", "forget.output")
                .body("forgotten", equalTo(1));
    }

    @Test
    void failuresAreErrorEventsOfTheFunction() {
        binary("forget", "bad-1", "{}")
                .then()
                .statusCode(400)
                .header("ce-type", "forget.error")
                .header("ce-correlationid", "bad-1")
                .body("error", equalTo("invalid_forget"));
        structured("session-get", "bad-2", Map.of("sessionId", "never-was"))
                .then()
                .statusCode(404)
                .body("type", equalTo("session-get.error"))
                .body("correlationid", equalTo("bad-2"))
                .body("data.error", equalTo("session_not_found"));
        structured("recall", "bad-3", Map.of("query", "x", "k", 0))
                .then()
                .statusCode(400)
                .body("type", equalTo("recall.error"))
                .body("data.error", equalTo("out_of_range"));
    }
}
