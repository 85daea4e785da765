package dev.engram.functions.classify;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.testing.Events;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * classify as an AWS Lambda through the extension's mock event server (classify, embedding mode (no model call)): direct invocation,
 * and an SQS batch in which only the malformed record is reported.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "lambda",
        disabledReason = "runs in the -Dengram.binding=lambda build")
class ClassifyLambdaTest {

    @Test
    void directInvocationAnswers() {
        given().contentType("application/json")
                .body(
                        "{\"text\":\"The striker scored twice in the final match.\",\"labels\":[\"sports\",\"cooking\"],\"mode\":\"embedding\"}")
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("label", equalTo("sports"));
    }

    @Test
    void sqsBatchReportsExactlyTheMalformedRecord() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put(
                "m-1",
                "{\"text\":\"Bake the bread for forty minutes.\",\"labels\":[\"sports\",\"cooking\"],\"mode\":\"embedding\"}");
        bodies.put("m-2", "{\"text\":");
        bodies.put(
                "m-3",
                "{\"text\":\"The team won the cup.\",\"labels\":[\"sports\",\"cooking\"],\"mode\":\"embedding\"}");
        given().contentType("application/json")
                .body(Events.sqs(bodies))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("batchItemFailures.itemIdentifier", contains("m-2"));
    }
}
