package dev.engram.functions.memory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.tenant.Tenant;
import dev.engram.testing.Events;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The memory module as a Lambda: one Lambda serves one function, chosen by {@code quarkus.funqy.export}
 * (here {@code remember}); direct invocation and an SQS batch of texts to remember.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(MemoryLambdaTest.ExportRemember.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "lambda",
        disabledReason = "runs in the -Dengram.binding=lambda build")
class MemoryLambdaTest {
    public static class ExportRemember implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "remember");
        }
    }

    @Inject
    LongTermMemory memory;

    @Test
    void directInvocationRemembers() {
        memory.forgetAll(Tenant.DEFAULT.id());
        String id = given().contentType("application/json")
                .body(Map.of("text", "The boat leaves at nine.", "userId", "ana"))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("deduplicated", equalTo(false))
                .extract()
                .path("id");
        List<RecallHit> hits =
                memory.recall(Tenant.DEFAULT.id(), new RecallQuery("When does the boat leave?", 1, null, null));
        assertThat(hits).extracting(RecallHit::id).containsExactly(id);
    }

    @Test
    void sqsBatchRemembersTheGoodRecordsAndReportsTheBadOnes() {
        memory.forgetAll(Tenant.DEFAULT.id());
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("r-1", "{\"text\":\"Tom plays the violin.\",\"userId\":\"tom\"}");
        bodies.put("r-2", "{\"text\":\"Tom lives in Porto.\"");
        bodies.put("r-4", "{\"text\":\"Tom is forty.\",\"colour\":\"red\"}");
        bodies.put("r-3", "{\"text\":\"Tom's sister is called Eva.\",\"userId\":\"tom\"}");
        given().contentType("application/json")
                .body(Events.sqs(bodies))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("batchItemFailures.itemIdentifier", containsInAnyOrder("r-2", "r-4"));
        List<RecallHit> hits =
                memory.recall(Tenant.DEFAULT.id(), new RecallQuery("What do we know about Tom?", 10, null, 0.0f));
        assertThat(hits)
                .extracting(RecallHit::text)
                .containsExactlyInAnyOrder("Tom plays the violin.", "Tom's sister is called Eva.");
    }
}
