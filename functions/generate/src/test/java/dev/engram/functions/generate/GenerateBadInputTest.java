package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed requests get a 4xx with a JSON error naming the problem; none gets a 5xx. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class GenerateBadInputTest {

    static Stream<Arguments> badRequests() {
        String tooLongForContext = "He liked to play with his ball. ".repeat(80);
        return Stream.of(
                Arguments.of("missing prompt", "{}", 400, "prompt"),
                Arguments.of("empty body", "", 400, "body"),
                Arguments.of("invalid JSON", "{\"prompt\": ", 400, "JSON"),
                Arguments.of("not an object", "[1, 2]", 400, "JSON"),
                Arguments.of("prompt is a number", "{\"prompt\": 42}", 400, "prompt"),
                Arguments.of("prompt is null", "{\"prompt\": null}", 400, "prompt"),
                Arguments.of("maxTokens is a string", "{\"prompt\": \"a\", \"maxTokens\": \"5\"}", 400, "maxTokens"),
                Arguments.of("maxTokens is a float", "{\"prompt\": \"a\", \"maxTokens\": 5.5}", 400, "maxTokens"),
                Arguments.of("negative maxTokens", "{\"prompt\": \"a\", \"maxTokens\": -1}", 400, "maxTokens"),
                Arguments.of("zero maxTokens", "{\"prompt\": \"a\", \"maxTokens\": 0}", 400, "maxTokens"),
                Arguments.of("huge maxTokens", "{\"prompt\": \"a\", \"maxTokens\": 1000000}", 400, "maxTokens"),
                Arguments.of(
                        "maxTokens beyond int", "{\"prompt\": \"a\", \"maxTokens\": 99999999999}", 400, "maxTokens"),
                Arguments.of("topP zero", "{\"prompt\": \"a\", \"topP\": 0}", 400, "topP"),
                Arguments.of("topP above one", "{\"prompt\": \"a\", \"topP\": 1.5}", 400, "topP"),
                Arguments.of("negative temperature", "{\"prompt\": \"a\", \"temperature\": -0.5}", 400, "temperature"),
                Arguments.of("huge temperature", "{\"prompt\": \"a\", \"temperature\": 50}", 400, "temperature"),
                Arguments.of("negative topK", "{\"prompt\": \"a\", \"topK\": -3}", 400, "topK"),
                Arguments.of("seed is text", "{\"prompt\": \"a\", \"seed\": \"abc\"}", 400, "seed"),
                Arguments.of("stop is a string", "{\"prompt\": \"a\", \"stop\": \".\"}", 400, "stop"),
                Arguments.of("empty stop string", "{\"prompt\": \"a\", \"stop\": [\"\"]}", 400, "stop"),
                Arguments.of(
                        "too many stop strings",
                        "{\"prompt\": \"a\", \"stop\": [\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]}",
                        400,
                        "stop"),
                Arguments.of("unknown field", "{\"prompt\": \"a\", \"max_tokens\": 5}", 400, "max_tokens"),
                Arguments.of("trailing garbage", "{\"prompt\": \"a\"} x", 400, "JSON"),
                Arguments.of(
                        "prompt longer than the context", "{\"prompt\": \"" + tooLongForContext + "\"}", 400, "prompt"),
                Arguments.of(
                        "prompt over the character limit",
                        "{\"prompt\": \"" + "a".repeat(200_001) + "\"}",
                        400,
                        "prompt"),
                Arguments.of("system is an object", "{\"prompt\": \"a\", \"system\": {}}", 400, "system"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void getsA4xxJsonError(String name, String body, int status, String mentioned) {
        Response response =
                given().header("Content-Type", "application/json").body(body).post("/generate");
        assertThat(response.statusCode()).as(name + ": " + response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getString("error")).isNotBlank();
        assertThat(response.jsonPath().getString("message")).containsIgnoringCase(mentioned);
    }

    @Test
    void unknownPathIsAJson404() {
        Response response =
                given().header("Content-Type", "application/json").body("{}").post("/no-such-function");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.jsonPath().getString("error")).isEqualTo("not_found");
    }
}
