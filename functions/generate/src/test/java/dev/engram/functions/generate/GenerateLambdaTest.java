package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import dev.engram.tenant.Tenant;
import dev.engram.testing.Events;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * generate as an AWS Lambda, through the extension's mock event server (the Lambda runtime API, no
 * Docker): direct invocations, and SQS batches where one bad record is reported alone. The module also
 * holds {@code memory-promote}, so a Lambda names its function with {@code quarkus.funqy.export}.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(GenerateLambdaTest.ExportGenerate.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "lambda",
        disabledReason = "runs in the -Dengram.binding=lambda build")
class GenerateLambdaTest {
    public static class ExportGenerate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "generate");
        }
    }

    static final ReferenceCases.Case CASE =
            ReferenceCases.load(TestModels.stories260K()).getFirst();

    @Inject
    SessionStore sessions;

    @Test
    void directInvocationAnswersLikeHttp() {
        given().contentType("application/json")
                .body(Map.of("prompt", CASE.prompt(), "temperature", 0, "maxTokens", CASE.maxTokens()))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("text", equalTo(CASE.text()))
                .body("usage.completionTokens", equalTo(CASE.token_ids().length))
                .body("model", equalTo("stories260K"));
    }

    @Test
    void directInvocationOfABadRequestFailsWithTheReason() {
        JsonPath error = given().contentType("application/json")
                .body(Map.of("maxTokens", 3))
                .when()
                .post()
                .then()
                .statusCode(500)
                .extract()
                .jsonPath();
        // Funqy wraps what the function threw; the Lambda runtime reports its class and message.
        assertThat(error.getString("errorType")).isEqualTo("io.quarkus.funqy.runtime.ApplicationException");
        assertThat(error.getString("errorMessage"))
                .isEqualTo("dev.engram.errors.InvalidRequestException: missing_field: 'prompt' is required");
        given().contentType("application/json")
                .body("{\"prompt\":\"Hi\",\"max_tokens\":3}")
                .when()
                .post()
                .then()
                .statusCode(500)
                .body("errorMessage", equalTo("Could not deserialize the provided message."));
        given().contentType("application/json")
                .body("{\"prompt\":\"Hi\",")
                .when()
                .post()
                .then()
                .statusCode(500)
                .body("errorMessage", equalTo("Could not deserialize the provided message."));
    }

    @Test
    void sqsBatchReportsExactlyTheMalformedRecord() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("msg-1", "{\"prompt\":\"Once upon a time\",\"maxTokens\":6,\"sessionId\":\"sqs-1\"}");
        bodies.put("msg-2", "{\"prompt\": \"The dog\", ");
        bodies.put("msg-3", "{\"prompt\":\"Lily wanted to\",\"maxTokens\":6,\"sessionId\":\"sqs-3\"}");
        given().contentType("application/json")
                .body(Events.sqs(bodies))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("batchItemFailures.size()", equalTo(1))
                .body("batchItemFailures[0].itemIdentifier", equalTo("msg-2"));
        // The good records really ran: each left its exchange in its session.
        for (String[] expected : new String[][] {{"sqs-1", "Once upon a time"}, {"sqs-3", "Lily wanted to"}}) {
            Session session = sessions.peek(Tenant.DEFAULT.id(), expected[0]);
            assertThat(session.turns()).extracting(Turn::role).containsExactly("user", "assistant");
            assertThat(session.turns().getFirst().text()).isEqualTo(expected[1]);
        }
    }

    @Test
    void sqsBatchWithARequestThatBreaksALimitReportsIt() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("ok", "{\"prompt\":\"The cat\",\"maxTokens\":3}");
        bodies.put("too-many-tokens", "{\"prompt\":\"The cat\",\"maxTokens\":100000}");
        given().contentType("application/json")
                .body(Events.sqs(bodies))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("batchItemFailures.itemIdentifier", org.hamcrest.Matchers.contains("too-many-tokens"));
    }
}
