package dev.engram.functions.translate;

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

/** Malformed translate requests get a 4xx with a JSON error naming the problem; none gets a 5xx. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class TranslateBadInputTest {

    static Stream<Arguments> badRequests() {
        String manyLines = "Der Hund.\\n".repeat(65);
        String longLine = "Der kleine Hund spielt jeden Tag im Garten mit dem roten Ball. ".repeat(1500);
        return Stream.of(
                Arguments.of("empty body", "", 400, "body"),
                Arguments.of("missing text", "{\"targetLanguage\": \"en\"}", 400, "text"),
                Arguments.of("empty text", "{\"text\": \"\", \"targetLanguage\": \"en\"}", 400, "text"),
                Arguments.of("blank text", "{\"text\": \" \\n \", \"targetLanguage\": \"en\"}", 400, "text"),
                Arguments.of("text is a number", "{\"text\": 7, \"targetLanguage\": \"en\"}", 400, "text"),
                Arguments.of(
                        "text over the character limit",
                        "{\"text\": \"" + "a ".repeat(100_001) + "\", \"targetLanguage\": \"en\"}",
                        400,
                        "text"),
                Arguments.of(
                        "more lines than the chunk limit",
                        "{\"text\": \"" + manyLines + "\", \"targetLanguage\": \"en\"}",
                        400,
                        "chunks"),
                Arguments.of(
                        "a line beyond the chunk limit",
                        "{\"text\": \"" + longLine + "\", \"targetLanguage\": \"en\"}",
                        400,
                        "chunks"),
                Arguments.of("missing targetLanguage", "{\"text\": \"Hallo\"}", 400, "targetLanguage"),
                Arguments.of(
                        "unknown target code",
                        "{\"text\": \"Hallo\", \"targetLanguage\": \"xx\"}",
                        400,
                        "targetLanguage"),
                Arguments.of(
                        "target as a name",
                        "{\"text\": \"Hallo\", \"targetLanguage\": \"English\"}",
                        400,
                        "targetLanguage"),
                Arguments.of(
                        "target with a region",
                        "{\"text\": \"Hallo\", \"targetLanguage\": \"en-US\"}",
                        400,
                        "targetLanguage"),
                Arguments.of(
                        "real but unsupported target",
                        "{\"text\": \"Hallo\", \"targetLanguage\": \"fi\"}",
                        400,
                        "targetLanguage"),
                Arguments.of("empty target", "{\"text\": \"Hallo\", \"targetLanguage\": \"\"}", 400, "targetLanguage"),
                Arguments.of(
                        "target is a number", "{\"text\": \"Hallo\", \"targetLanguage\": 1}", 400, "targetLanguage"),
                Arguments.of(
                        "unsupported source",
                        "{\"text\": \"Hallo\", \"targetLanguage\": \"en\", \"sourceLanguage\": \"tlh\"}",
                        400,
                        "sourceLanguage"),
                Arguments.of(
                        "bad sessionId",
                        "{\"text\": \"Hallo\", \"targetLanguage\": \"en\", \"sessionId\": \"a/b\"}",
                        400,
                        "sessionId"),
                Arguments.of(
                        "unknown field", "{\"text\": \"Hallo\", \"target_language\": \"en\"}", 400, "target_language"),
                Arguments.of("invalid JSON", "{\"text\": \"Hallo\", ", 400, "JSON"),
                Arguments.of("not an object", "\"Hallo\"", 400, "JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void getsA4xxJsonError(String name, String body, int status, String mentioned) {
        Response response =
                given().header("Content-Type", "application/json").body(body).post("/translate");
        assertThat(response.statusCode()).as(name + ": " + response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getString("error")).isNotBlank();
        assertThat(response.jsonPath().getString("message")).as(name).containsIgnoringCase(mentioned);
    }

    @Test
    void unsupportedLanguagesAreListed() {
        Response response = given().header("Content-Type", "application/json")
                .body("{\"text\": \"Hallo\", \"targetLanguage\": \"xx\"}")
                .post("/translate");
        assertThat(response.jsonPath().getString("error")).isEqualTo("unsupported_language");
        assertThat(response.jsonPath().getString("message"))
                .contains("[de, en, es, fr, it, ja, nl, pl, pt, ru, sv, zh]");
    }
}
