package dev.engram.functions.translate;

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

/** translate behind a Knative trigger (translate, same-language shortcut (detected source equals the target: no model call)): binary and structured events, error events. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "knative",
        disabledReason = "runs in the -Dengram.binding=knative build")
class TranslateCloudEventTest {

    @Test
    void binaryAndStructuredEventsAnswerWithTheOutputEvent() throws Exception {
        binary("translate", "ev-1", "{\"text\":\"Guten Morgen, wie geht es dir heute?\",\"targetLanguage\":\"de\"}")
                .then()
                .statusCode(200)
                .header("ce-type", "translate.output")
                .header("ce-source", "translate")
                .header("ce-correlationid", "ev-1")
                .body("translation", equalTo("Guten Morgen, wie geht es dir heute?"));
        structured("translate", "ev-2", Map.of("text", "Guten Morgen, wie geht es dir heute?", "targetLanguage", "de"))
                .then()
                .statusCode(200)
                .body("type", equalTo("translate.output"))
                .body("correlationid", equalTo("ev-2"))
                .body("data.translation", equalTo("Guten Morgen, wie geht es dir heute?"));
    }

    @Test
    void badInputIsAnErrorEvent() throws Exception {
        binary("translate", "bad-1", "{\"text\":\"Hello\",\"targetLanguage\":\"xx\"}")
                .then()
                .statusCode(400)
                .header("ce-type", "translate.error")
                .header("ce-correlationid", "bad-1")
                .body("error", equalTo("unsupported_language"));
        structured(
                        "translate",
                        "bad-2",
                        new ObjectMapper().readValue("{\"text\":\"Hello\",\"targetLanguage\":\"xx\"}", Map.class))
                .then()
                .statusCode(400)
                .body("type", equalTo("translate.error"))
                .body("correlationid", equalTo("bad-2"))
                .body("data.error", equalTo("unsupported_language"));
    }
}
