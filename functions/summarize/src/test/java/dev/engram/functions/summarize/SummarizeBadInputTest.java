package dev.engram.functions.summarize;

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

/** Malformed summarize requests get a 4xx with a JSON error naming the problem; none gets a 5xx. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class SummarizeBadInputTest {

    static Stream<Arguments> badRequests() {
        // stories260K: context 512, so maxTokens may be 1 … 128; 64 chunks hold ~25,000 of its tokens.
        String beyondChunkLimit =
                "The little dog ran to the park and played with a red ball all day long. ".repeat(2000);
        return Stream.of(
                Arguments.of("empty body", "", 400, "body"),
                Arguments.of("missing text", "{}", 400, "text"),
                Arguments.of("empty text", "{\"text\": \"\"}", 400, "text"),
                Arguments.of("blank text", "{\"text\": \"  \\n\\t \"}", 400, "text"),
                Arguments.of("text is a number", "{\"text\": 42}", 400, "text"),
                Arguments.of("text is an array", "{\"text\": [\"a\"]}", 400, "text"),
                Arguments.of(
                        "text over the character limit", "{\"text\": \"" + "a ".repeat(100_001) + "\"}", 400, "text"),
                Arguments.of("text beyond the chunk limit", "{\"text\": \"" + beyondChunkLimit + "\"}", 400, "chunks"),
                Arguments.of(
                        "more sentences than extractive embeds",
                        "{\"text\": \"" + "Go home now. ".repeat(1001) + "\", \"mode\": \"extractive\"}",
                        400,
                        "sentences"),
                Arguments.of("unknown mode", "{\"text\": \"a\", \"mode\": \"magic\"}", 400, "mode"),
                Arguments.of("mode in capitals", "{\"text\": \"a\", \"mode\": \"EXTRACTIVE\"}", 400, "mode"),
                Arguments.of("mode is a number", "{\"text\": \"a\", \"mode\": 1}", 400, "mode"),
                Arguments.of("unknown style", "{\"text\": \"a\", \"style\": \"haiku\"}", 400, "style"),
                Arguments.of("maxTokens zero", "{\"text\": \"a\", \"maxTokens\": 0}", 400, "maxTokens"),
                Arguments.of("maxTokens negative", "{\"text\": \"a\", \"maxTokens\": -5}", 400, "maxTokens"),
                Arguments.of(
                        "maxTokens over a quarter of the context",
                        "{\"text\": \"a\", \"maxTokens\": 129}",
                        400,
                        "maxTokens"),
                Arguments.of("maxTokens is a string", "{\"text\": \"a\", \"maxTokens\": \"10\"}", 400, "maxTokens"),
                Arguments.of("maxTokens is a float", "{\"text\": \"a\", \"maxTokens\": 10.5}", 400, "maxTokens"),
                Arguments.of(
                        "maxSentences zero",
                        "{\"text\": \"a\", \"mode\": \"extractive\", \"maxSentences\": 0}",
                        400,
                        "maxSentences"),
                Arguments.of(
                        "maxSentences over the limit",
                        "{\"text\": \"a\", \"mode\": \"extractive\", \"maxSentences\": 51}",
                        400,
                        "maxSentences"),
                Arguments.of(
                        "maxSentences with abstractive", "{\"text\": \"a\", \"maxSentences\": 2}", 400, "maxSentences"),
                Arguments.of(
                        "maxTokens with extractive",
                        "{\"text\": \"a\", \"mode\": \"extractive\", \"maxTokens\": 20}",
                        400,
                        "maxTokens"),
                Arguments.of("blank focus", "{\"text\": \"a\", \"focus\": \" \"}", 400, "focus"),
                Arguments.of(
                        "focus too long", "{\"text\": \"a\", \"focus\": \"" + "x".repeat(501) + "\"}", 400, "focus"),
                Arguments.of("focus is an object", "{\"text\": \"a\", \"focus\": {}}", 400, "focus"),
                Arguments.of("bad sessionId", "{\"text\": \"a\", \"sessionId\": \"a b\"}", 400, "sessionId"),
                Arguments.of("unknown field", "{\"text\": \"a\", \"max_tokens\": 5}", 400, "max_tokens"),
                Arguments.of("invalid JSON", "{\"text\": ", 400, "JSON"),
                Arguments.of("not an object", "[\"text\"]", 400, "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void getsA4xxJsonError(String name, String body, int status, String mentioned) {
        Response response =
                given().header("Content-Type", "application/json").body(body).post("/summarize");
        assertThat(response.statusCode()).as(name + ": " + response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getString("error")).isNotBlank();
        assertThat(response.jsonPath().getString("message")).as(name).containsIgnoringCase(mentioned);
    }
}
