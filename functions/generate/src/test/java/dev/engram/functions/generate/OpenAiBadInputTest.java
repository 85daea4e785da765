package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad requests to the OpenAI surface get a 4xx with OpenAI's error body naming the problem, stream or not. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class OpenAiBadInputTest {
    static final String HI = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";

    static Stream<Arguments> badRequests() {
        String tooLong = "He liked to play with his ball. ".repeat(80);
        return Stream.of(
                Arguments.of("empty body", "", 400, "missing_body", "body"),
                Arguments.of("invalid JSON", "{\"messages\": ", 400, "invalid_json", "JSON"),
                Arguments.of("no messages", "{}", 400, "missing_field", "messages"),
                Arguments.of("empty messages", "{\"messages\": []}", 400, "missing_field", "messages"),
                Arguments.of("messages not a list", "{\"messages\": \"hi\"}", 400, "invalid_json", "messages"),
                Arguments.of(
                        "missing content",
                        "{\"messages\": [{\"role\": \"user\"}]}",
                        400,
                        "missing_field",
                        "messages[0].content"),
                Arguments.of(
                        "numeric content",
                        "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}",
                        400,
                        "invalid_message",
                        "content"),
                Arguments.of(
                        "image part",
                        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}",
                        400,
                        "invalid_message",
                        "text"),
                // text that is not valid Unicode is refused wherever it sits, as /generate refuses it
                Arguments.of(
                        "lone surrogate in content",
                        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\\ud800b\"}]}",
                        400,
                        "invalid_json",
                        "messages[0].content"),
                Arguments.of(
                        "lone surrogate in a content part",
                        "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\", "
                                + "\"text\": \"ok\"}, {\"type\": \"text\", \"text\": \"\\udc00\"}]}]}",
                        400,
                        "invalid_json",
                        "messages[0].content"),
                Arguments.of(
                        "lone surrogate in system content",
                        "{\"messages\": [{\"role\": \"system\", \"content\": \"be\\ud83d\"}, "
                                + "{\"role\": \"user\", \"content\": \"hi\"}]}",
                        400,
                        "invalid_json",
                        "messages[0].content"),
                Arguments.of(
                        "lone surrogate in a stop string",
                        "{" + HI + ", \"stop\": [\"\\udfff\"]}",
                        400,
                        "invalid_json",
                        "stop[0]"),
                Arguments.of(
                        "unknown role",
                        "{\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}",
                        400,
                        "invalid_message",
                        "role"),
                Arguments.of(
                        "missing role",
                        "{\"messages\": [{\"content\": \"x\"}]}",
                        400,
                        "missing_field",
                        "messages[0].role"),
                Arguments.of(
                        "last is assistant",
                        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]}",
                        400,
                        "invalid_message",
                        "last message"),
                Arguments.of("unknown field", "{" + HI + ", \"logit_bias\": {}}", 400, "invalid_json", "logit_bias"),
                Arguments.of("camelCase field", "{" + HI + ", \"maxTokens\": 5}", 400, "invalid_json", "maxTokens"),
                Arguments.of("max_tokens zero", "{" + HI + ", \"max_tokens\": 0}", 400, "out_of_range", "max_tokens"),
                Arguments.of(
                        "max_tokens huge", "{" + HI + ", \"max_tokens\": 100000}", 400, "out_of_range", "max_tokens"),
                Arguments.of(
                        "max_completion_tokens negative",
                        "{" + HI + ", \"max_completion_tokens\": -1}",
                        400,
                        "out_of_range",
                        "max_completion_tokens"),
                Arguments.of(
                        "max_tokens a string",
                        "{" + HI + ", \"max_tokens\": \"5\"}",
                        400,
                        "invalid_json",
                        "max_tokens"),
                Arguments.of(
                        "temperature high", "{" + HI + ", \"temperature\": 3}", 400, "out_of_range", "temperature"),
                Arguments.of("top_p zero", "{" + HI + ", \"top_p\": 0}", 400, "out_of_range", "top_p"),
                Arguments.of("n two", "{" + HI + ", \"n\": 2}", 400, "unsupported", "'n'"),
                Arguments.of(
                        "penalty", "{" + HI + ", \"presence_penalty\": 0.5}", 400, "unsupported", "presence_penalty"),
                Arguments.of(
                        "too many stops",
                        "{" + HI + ", \"stop\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}",
                        400,
                        "out_of_range",
                        "stop"),
                Arguments.of("empty stop", "{" + HI + ", \"stop\": \"\"}", 400, "invalid_stop", "stop"),
                Arguments.of(
                        "stream_options without stream",
                        "{" + HI + ", \"stream_options\": {\"include_usage\": true}}",
                        400,
                        "invalid_request",
                        "stream_options"),
                Arguments.of("unknown model", "{" + HI + ", \"model\": \"gpt-4o\"}", 404, "model_not_found", "gpt-4o"),
                Arguments.of(
                        "prompt too long",
                        "{\"messages\": [{\"role\": \"user\", \"content\": \"" + tooLong + "\"}]}",
                        400,
                        "prompt_too_long",
                        "tokens"),
                Arguments.of(
                        "prompt too long, streamed",
                        "{\"stream\": true, \"messages\": [{\"role\": \"user\", \"content\": \"" + tooLong + "\"}]}",
                        400,
                        "prompt_too_long",
                        "tokens"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRejectedWithOpenAiErrorBody(String name, String body, int status, String code, String mentions) {
        Response response = given().contentType("application/json").body(body).post("/v1/chat/completions");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getString("error.code")).isEqualTo(code);
        assertThat(response.jsonPath().getString("error.type"))
                .isEqualTo(status == 404 ? "not_found_error" : "invalid_request_error");
        assertThat(response.jsonPath().getString("error.message")).contains(mentions);
    }
}
