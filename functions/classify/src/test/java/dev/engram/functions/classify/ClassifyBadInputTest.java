package dev.engram.functions.classify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed classify requests get a 4xx with a JSON error naming the problem; none gets a 5xx. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class ClassifyBadInputTest {
    static final String TWO = "\"labels\": [\"a\", \"b\"]";

    static Stream<Arguments> badRequests() {
        String fiftyOne = IntStream.range(0, 51).mapToObj(i -> "\"l" + i + "\"").collect(Collectors.joining(","));
        String longForContext = "He liked to play with his ball. ".repeat(80);
        return Stream.of(
                Arguments.of("empty body", "", 400, "body"),
                Arguments.of("missing text", "{" + TWO + "}", 400, "text"),
                Arguments.of("empty text", "{\"text\": \"\", " + TWO + "}", 400, "text"),
                Arguments.of("blank text", "{\"text\": \"   \", " + TWO + "}", 400, "text"),
                Arguments.of(
                        "text over the limit", "{\"text\": \"" + "a".repeat(8001) + "\", " + TWO + "}", 400, "text"),
                Arguments.of("text is a number", "{\"text\": 5, " + TWO + "}", 400, "text"),
                Arguments.of("missing labels", "{\"text\": \"hi\"}", 400, "labels"),
                Arguments.of("one label", "{\"text\": \"hi\", \"labels\": [\"a\"]}", 400, "labels"),
                Arguments.of("no labels", "{\"text\": \"hi\", \"labels\": []}", 400, "labels"),
                Arguments.of("51 labels", "{\"text\": \"hi\", \"labels\": [" + fiftyOne + "]}", 400, "labels"),
                Arguments.of(
                        "duplicate labels", "{\"text\": \"hi\", \"labels\": [\"a\", \"b\", \"A \"]}", 400, "twice"),
                Arguments.of("labels is a string", "{\"text\": \"hi\", \"labels\": \"a,b\"}", 400, "labels"),
                Arguments.of("a label is a number", "{\"text\": \"hi\", \"labels\": [\"a\", 3]}", 400, "label"),
                Arguments.of("a label is null", "{\"text\": \"hi\", \"labels\": [\"a\", null]}", 400, "labels[1]"),
                Arguments.of("an empty label", "{\"text\": \"hi\", \"labels\": [\"a\", \"\"]}", 400, "labels[1]"),
                Arguments.of(
                        "a label too long",
                        "{\"text\": \"hi\", \"labels\": [\"a\", \"" + "b".repeat(101) + "\"]}",
                        400,
                        "labels[1]"),
                Arguments.of(
                        "a label on two lines", "{\"text\": \"hi\", \"labels\": [\"a\", \"b\\nc\"]}", 400, "labels[1]"),
                Arguments.of(
                        "a label with a lone surrogate",
                        "{\"text\": \"hi\", \"labels\": [\"a\", \"x\\ud800y\"]}",
                        400,
                        "labels[1]"),
                Arguments.of(
                        "a label name with a lone surrogate",
                        "{\"text\": \"hi\", \"labels\": [{\"name\": \"\\udc00\"}, \"b\"]}",
                        400,
                        "labels[0]"),
                Arguments.of(
                        "a label description with a lone surrogate",
                        "{\"text\": \"hi\", \"labels\": [\"a\", {\"name\": \"b\", \"description\": \"\\ud800\"}]}",
                        400,
                        "labels[1]"),
                Arguments.of(
                        "label object without name",
                        "{\"text\": \"hi\", \"labels\": [\"a\", {\"description\": \"x\"}]}",
                        400,
                        "labels[1]"),
                Arguments.of(
                        "label object with unknown field",
                        "{\"text\": \"hi\", \"labels\": [\"a\", {\"name\": \"b\", \"colour\": \"red\"}]}",
                        400,
                        "colour"),
                Arguments.of(
                        "label description is a number",
                        "{\"text\": \"hi\", \"labels\": [\"a\", {\"name\": \"b\", \"description\": 7}]}",
                        400,
                        "description"),
                Arguments.of("bad mode", "{\"text\": \"hi\", " + TWO + ", \"mode\": \"magic\"}", 400, "mode"),
                Arguments.of("mode in capitals", "{\"text\": \"hi\", " + TWO + ", \"mode\": \"LLM\"}", 400, "mode"),
                Arguments.of("mode is a number", "{\"text\": \"hi\", " + TWO + ", \"mode\": 1}", 400, "mode"),
                Arguments.of(
                        "threshold above one", "{\"text\": \"hi\", " + TWO + ", \"threshold\": 1.5}", 400, "threshold"),
                Arguments.of(
                        "negative threshold", "{\"text\": \"hi\", " + TWO + ", \"threshold\": -0.1}", 400, "threshold"),
                Arguments.of(
                        "threshold is a string",
                        "{\"text\": \"hi\", " + TWO + ", \"threshold\": \"0.5\"}",
                        400,
                        "threshold"),
                Arguments.of(
                        "multiLabel is a string",
                        "{\"text\": \"hi\", " + TWO + ", \"multiLabel\": \"yes\"}",
                        400,
                        "multiLabel"),
                Arguments.of(
                        "unknown field", "{\"text\": \"hi\", " + TWO + ", \"multi_label\": true}", 400, "multi_label"),
                Arguments.of(
                        "bad session id", "{\"text\": \"hi\", " + TWO + ", \"sessionId\": \"a b\"}", 400, "sessionId"),
                Arguments.of(
                        "llm prompt beyond the model's context",
                        "{\"text\": \"" + longForContext + "\", " + TWO + ", \"mode\": \"llm\"}",
                        400,
                        "tokens"),
                Arguments.of("invalid JSON", "{\"text\": ", 400, "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void getsA4xxJsonError(String name, String body, int status, String mentioned) {
        Response response =
                given().header("Content-Type", "application/json").body(body).post("/classify");
        assertThat(response.statusCode()).as(name + ": " + response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getString("error")).isNotBlank();
        assertThat(response.jsonPath().getString("message")).as(name).containsIgnoringCase(mentioned);
    }
}
