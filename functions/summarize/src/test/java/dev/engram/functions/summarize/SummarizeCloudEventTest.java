package dev.engram.functions.summarize;

import static dev.engram.testing.Events.binary;
import static dev.engram.testing.Events.structured;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** summarize behind a Knative trigger (extractive summaries (no model call)): binary and structured events, error events. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "knative",
        disabledReason = "runs in the -Dengram.binding=knative build")
class SummarizeCloudEventTest {

    @Test
    void binaryAndStructuredEventsAnswerWithTheOutputEvent() throws Exception {
        binary(
                        "summarize",
                        "ev-1",
                        "{\"text\":\"The river rose overnight. Farmers moved their animals to the hills. By noon the water had reached the old bridge.\",\"mode\":\"extractive\",\"maxSentences\":1}")
                .then()
                .statusCode(200)
                .header("ce-type", "summarize.output")
                .header("ce-source", "summarize")
                .header("ce-correlationid", "ev-1")
                .body("mode", equalTo("extractive"));
        structured(
                        "summarize",
                        "ev-2",
                        Map.of(
                                "text",
                                "The river rose overnight. Farmers moved their animals to the hills. By noon the water had reached the old bridge.",
                                "mode",
                                "extractive",
                                "maxSentences",
                                1))
                .then()
                .statusCode(200)
                .body("type", equalTo("summarize.output"))
                .body("correlationid", equalTo("ev-2"))
                .body("data.mode", equalTo("extractive"));
    }

    @Test
    void badInputIsAnErrorEvent() throws Exception {
        binary("summarize", "bad-1", "{\"text\":\"Some text.\",\"mode\":\"extractive\",\"maxTokens\":5}")
                .then()
                .statusCode(400)
                .header("ce-type", "summarize.error")
                .header("ce-correlationid", "bad-1")
                .body("error", equalTo("invalid_option"));
        structured(
                        "summarize",
                        "bad-2",
                        new ObjectMapper()
                                .readValue(
                                        "{\"text\":\"Some text.\",\"mode\":\"extractive\",\"maxTokens\":5}", Map.class))
                .then()
                .statusCode(400)
                .body("type", equalTo("summarize.error"))
                .body("correlationid", equalTo("bad-2"))
                .body("data.error", equalTo("invalid_option"));
    }
}
