package dev.engram.functions.classify;

import static dev.engram.testing.Events.binary;
import static dev.engram.testing.Events.structured;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** classify behind a Knative trigger (classify, embedding mode (no model call)): binary and structured events, error events. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "knative",
        disabledReason = "runs in the -Dengram.binding=knative build")
class ClassifyCloudEventTest {

    @Test
    void binaryAndStructuredEventsAnswerWithTheOutputEvent() throws Exception {
        binary(
                        "classify",
                        "ev-1",
                        "{\"text\":\"The striker scored twice in the final match.\",\"labels\":[\"sports\",\"cooking\"],\"mode\":\"embedding\"}")
                .then()
                .statusCode(200)
                .header("ce-type", "classify.output")
                .header("ce-source", "classify")
                .header("ce-correlationid", "ev-1")
                .body("label", equalTo("sports"));
        structured(
                        "classify",
                        "ev-2",
                        Map.of(
                                "text",
                                "The striker scored twice in the final match.",
                                "labels",
                                List.of("sports", "cooking"),
                                "mode",
                                "embedding"))
                .then()
                .statusCode(200)
                .body("type", equalTo("classify.output"))
                .body("correlationid", equalTo("ev-2"))
                .body("data.label", equalTo("sports"));
    }

    @Test
    void badInputIsAnErrorEvent() throws Exception {
        binary("classify", "bad-1", "{\"text\":\"x\",\"labels\":[\"only one\"]}")
                .then()
                .statusCode(400)
                .header("ce-type", "classify.error")
                .header("ce-correlationid", "bad-1")
                .body("error", equalTo("out_of_range"));
        structured(
                        "classify",
                        "bad-2",
                        new ObjectMapper().readValue("{\"text\":\"x\",\"labels\":[\"only one\"]}", Map.class))
                .then()
                .statusCode(400)
                .body("type", equalTo("classify.error"))
                .body("correlationid", equalTo("bad-2"))
                .body("data.error", equalTo("out_of_range"));
    }
}
