package dev.engram.functions.translate;

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
 * translate as an AWS Lambda through the extension's mock event server (translate, same-language shortcut (detected source equals the target: no model call)): direct invocation,
 * and an SQS batch in which only the malformed record is reported.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "lambda",
        disabledReason = "runs in the -Dengram.binding=lambda build")
class TranslateLambdaTest {

    @Test
    void directInvocationAnswers() {
        given().contentType("application/json")
                .body("{\"text\":\"Guten Morgen, wie geht es dir heute?\",\"targetLanguage\":\"de\"}")
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("translation", equalTo("Guten Morgen, wie geht es dir heute?"));
    }

    @Test
    void sqsBatchReportsExactlyTheMalformedRecord() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("m-1", "{\"text\":\"Bonjour tout le monde, comment allez-vous?\",\"targetLanguage\":\"fr\"}");
        bodies.put("m-2", "{\"text\":");
        bodies.put("m-3", "{\"text\":\"Good morning to all of you here.\",\"targetLanguage\":\"en\"}");
        given().contentType("application/json")
                .body(Events.sqs(bodies))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("batchItemFailures.itemIdentifier", contains("m-2"));
    }
}
