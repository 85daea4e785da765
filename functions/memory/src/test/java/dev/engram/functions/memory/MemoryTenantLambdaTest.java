package dev.engram.functions.memory;

import static dev.engram.testing.AuthProfile.ALPHA;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.tenant.Tenant;
import dev.engram.testing.AuthProfile;
import dev.engram.testing.Events;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A Lambda has no HTTP request to carry a key: with auth on, every invocation of a deployment is in its
 * {@code engram.auth.trigger-tenant} (IAM decides who may invoke it), directly and from SQS.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(MemoryTenantLambdaTest.AlphaDeployment.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "lambda",
        disabledReason = "runs in the -Dengram.binding=lambda build")
class MemoryTenantLambdaTest {
    public static class AlphaDeployment extends AuthProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of("quarkus.funqy.export", "remember", "engram.auth.trigger-tenant", ALPHA);
        }
    }

    @Inject
    LongTermMemory memory;

    private List<String> texts(String tenant) {
        return memory.recall(tenant, new RecallQuery("Where does the ferry go?", 50, null, 0.0f)).stream()
                .map(RecallHit::text)
                .toList();
    }

    @Test
    void invocationsAreInTheDeploymentsTenant() {
        memory.forgetAll(ALPHA);
        memory.forgetAll(Tenant.DEFAULT.id());
        given().contentType("application/json")
                .body(Map.of("text", "The ferry goes to Tallinn."))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("deduplicated", equalTo(false));
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("q-1", "{\"text\":\"The night ferry goes to Stockholm.\"}");
        bodies.put("q-2", "{\"text\":");
        given().contentType("application/json")
                .body(Events.sqs(bodies))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("batchItemFailures.itemIdentifier", containsInAnyOrder("q-2"));
        assertThat(texts(ALPHA))
                .containsExactlyInAnyOrder("The ferry goes to Tallinn.", "The night ferry goes to Stockholm.");
        assertThat(texts(Tenant.DEFAULT.id())).isEmpty();
    }
}
