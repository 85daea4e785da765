package dev.engram.functions.generate;

import static dev.engram.testing.Events.binary;
import static dev.engram.testing.Events.structured;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.engram.testing.ModelTestResource;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** generate as a Knative Eventing sink: CloudEvents in binary and structured mode, answers and error events. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "knative",
        disabledReason = "runs in the -Dengram.binding=knative build")
class GenerateCloudEventTest {
    static final ReferenceCases.Case CASE =
            ReferenceCases.load(TestModels.stories260K()).getFirst();

    static String request() {
        return "{\"prompt\":\"" + CASE.prompt() + "\",\"temperature\":0,\"maxTokens\":" + CASE.maxTokens() + "}";
    }

    @Test
    void binaryEventIsAnsweredByAnOutputEventCorrelatedToIt() {
        Response answer = binary("generate", "order-17", request());
        answer.then()
                .statusCode(200)
                .header("ce-type", "generate.output")
                .header("ce-source", "generate")
                .header("ce-specversion", "1.0")
                .header("ce-correlationid", "order-17")
                .body("text", equalTo(CASE.text()))
                .body("model", equalTo("stories260K"));
        assertThat(answer.header("ce-id")).isNotBlank().isNotEqualTo("order-17");
    }

    @Test
    void structuredEventIsAnsweredByAStructuredOutputEvent() {
        structured(
                        "generate",
                        "order-18",
                        Map.of("prompt", CASE.prompt(), "temperature", 0, "maxTokens", CASE.maxTokens()))
                .then()
                .statusCode(200)
                .contentType(startsWith("application/cloudevents+json"))
                .body("type", equalTo("generate.output"))
                .body("source", equalTo("generate"))
                .body("specversion", equalTo("1.0"))
                .body("correlationid", equalTo("order-18"))
                .body("datacontenttype", equalTo("application/json"))
                .body("data.text", equalTo(CASE.text()))
                .body("data.usage.completionTokens", equalTo(CASE.token_ids().length));
    }

    @Test
    void badBinaryEventsGetErrorEvents() {
        binary("generate", "bad-1", "{\"maxTokens\":4}")
                .then()
                .statusCode(400)
                .header("ce-type", "generate.error")
                .header("ce-correlationid", "bad-1")
                .body("error", equalTo("missing_field"))
                .body("message", equalTo("'prompt' is required"));
        binary("generate", "bad-2", "{\"prompt\":\"Hi\",\"max_tokens\":4}")
                .then()
                .statusCode(400)
                .header("ce-type", "generate.error")
                .header("ce-correlationid", "bad-2")
                .body("error", equalTo("invalid_json"))
                .body("message", startsWith("Invalid JSON body: unknown field 'max_tokens'"));
        binary("generate", "bad-3", "{\"prompt\":")
                .then()
                .statusCode(400)
                .header("ce-type", "generate.error")
                .body("error", equalTo("invalid_json"));
        binary("summarise", "bad-4", request())
                .then()
                .statusCode(404)
                .header("ce-type", "engram.error")
                .header("ce-correlationid", "bad-4");
    }

    @Test
    void badStructuredEventsGetStructuredErrorEvents() {
        structured("generate", "bad-5", Map.of("prompt", "Hi", "maxTokens", -1))
                .then()
                .statusCode(400)
                .contentType(startsWith("application/cloudevents+json"))
                .body("type", equalTo("generate.error"))
                .body("correlationid", equalTo("bad-5"))
                .body("data.error", equalTo("out_of_range"));
        structured("generate", "bad-6", Map.of("prompt", "Hi", "colour", "red"))
                .then()
                .statusCode(400)
                .body("type", equalTo("generate.error"))
                .body("data.error", equalTo("invalid_json"));
        structured("summarise", "bad-7", Map.of("prompt", "Hi"))
                .then()
                .statusCode(404)
                .body("type", equalTo("engram.error"))
                .body("correlationid", equalTo("bad-7"))
                .body("data.error", equalTo("unknown_event_type"));
        given().contentType("application/cloudevents+json")
                .body("{\"specversion\":\"1.0\",\"type\":\"generate\"}")
                .post("/")
                .then()
                .statusCode(400)
                .body("data.error", equalTo("invalid_cloud_event"));
    }

    @Test
    void plainHttpStillWorksInTheKnativeBuild() {
        given().contentType(ContentType.JSON)
                .body(request())
                .post("/generate")
                .then()
                .statusCode(200)
                .body("text", equalTo(CASE.text()));
    }
}
