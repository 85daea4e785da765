package dev.engram.functions.summarize;

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
 * summarize as an AWS Lambda through the extension's mock event server (extractive summaries (no model call)): direct invocation,
 * and an SQS batch in which only the malformed record is reported.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "lambda",
        disabledReason = "runs in the -Dengram.binding=lambda build")
class SummarizeLambdaTest {

    @Test
    void directInvocationAnswers() {
        given().contentType("application/json")
                .body(
                        "{\"text\":\"The river rose overnight. Farmers moved their animals to the hills. By noon the water had reached the old bridge.\",\"mode\":\"extractive\",\"maxSentences\":1}")
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("mode", equalTo("extractive"));
    }

    @Test
    void sqsBatchReportsExactlyTheMalformedRecord() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put(
                "m-1",
                "{\"text\":\"One sentence here. Another one there.\",\"mode\":\"extractive\",\"maxSentences\":1}");
        bodies.put("m-2", "{\"text\":");
        bodies.put(
                "m-3", "{\"text\":\"Cats sleep a lot. Dogs like walks.\",\"mode\":\"extractive\",\"maxSentences\":1}");
        given().contentType("application/json")
                .body(Events.sqs(bodies))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("batchItemFailures.itemIdentifier", contains("m-2"));
    }
}
