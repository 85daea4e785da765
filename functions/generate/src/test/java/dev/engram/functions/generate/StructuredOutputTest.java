package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.SchemaValidator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code json} on /generate and {@code response_format} on /v1/chat/completions, on stories260K. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class StructuredOutputTest {
    static final String PERSON = """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 20},
             "age": {"type": "integer", "minimum": 0, "maximum": 120}, "pets": {"type": "array", "items": {"enum": ["cat", "dog"]},
             "maxItems": 3}}, "required": ["name", "age", "pets"], "additionalProperties": false}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    static Object schema(String text) {
        try {
            return JSON.readValue(text, Map.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static JsonPath generate(Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/generate")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    @Test
    void generateWithASchemaAnswersAValidDocument() {
        for (long seed = 1; seed <= 4; seed++) {
            JsonPath answer = generate(
                    Map.of("prompt", "Once upon a time", "json", schema(PERSON), "seed", seed, "maxTokens", 150), 200);
            assertThat(answer.getString("finishReason")).isEqualTo("stop");
            assertThat(answer.getBoolean("jsonComplete")).isTrue();
            assertThat(SchemaValidator.errors(PERSON, answer.getString("text")))
                    .as(answer.getString("text"))
                    .isEmpty();
        }
    }

    @Test
    void jsonTrueAnswersAnObject() {
        JsonPath answer =
                generate(Map.of("prompt", "Once upon a time", "json", true, "maxTokens", 200, "temperature", 0), 200);
        if (answer.getString("finishReason").equals("stop")) {
            assertThat(SchemaValidator.errors(null, answer.getString("text")))
                    .as(answer.getString("text"))
                    .isEmpty();
        }
        assertThat(answer.getBoolean("jsonComplete"))
                .isEqualTo(answer.getString("finishReason").equals("stop"));
        assertThat(answer.getString("text").strip()).startsWith("{");
    }

    @Test
    void maxTokensCutsTheDocumentAndSaysSo() {
        JsonPath answer = generate(Map.of("prompt", "Once upon a time", "json", schema(PERSON), "maxTokens", 3), 200);
        assertThat(answer.getString("finishReason")).isEqualTo("length");
        assertThat(answer.getBoolean("jsonComplete")).isFalse();
        JsonPath free = generate(Map.of("prompt", "Once upon a time", "maxTokens", 3), 200);
        assertThat(free.getMap("$")).doesNotContainKey("jsonComplete");
    }

    @Test
    void unsupportedOrInvalidSchemasAreRefusedByName() {
        JsonPath pattern = generate(Map.of("prompt", "x", "json", Map.of("type", "string", "pattern", "^a")), 400);
        assertThat(pattern.getString("error")).isEqualTo("unsupported_schema");
        assertThat(pattern.getString("message")).contains("'pattern'");
        JsonPath impossible =
                generate(Map.of("prompt", "x", "json", Map.of("type", "string", "minLength", 5, "maxLength", 2)), 400);
        assertThat(impossible.getString("error")).isEqualTo("invalid_schema");
        JsonPath kind = generate(Map.of("prompt", "x", "json", "yes"), 400);
        assertThat(kind.getString("error")).isEqualTo("invalid_json_format");
    }

    @Test
    void chatResponseFormatJsonSchema() {
        Map<String, Object> format = Map.of(
                "type",
                "json_schema",
                "json_schema",
                Map.of("name", "person", "schema", schema(PERSON), "strict", true));
        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "messages",
                        List.of(Map.of("role", "user", "content", "Tell me about Tom")),
                        "response_format",
                        format,
                        "seed",
                        5,
                        "max_tokens",
                        150))
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String content = answer.getString("choices[0].message.content");
        assertThat(answer.getString("choices[0].finish_reason")).isEqualTo("stop");
        assertThat(answer.getBoolean("choices[0].json_complete")).isTrue();
        assertThat(SchemaValidator.errors(PERSON, content)).as(content).isEmpty();
    }

    @Test
    void chatRefusesABadResponseFormatInOpenAiShape() {
        JsonPath refused = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "messages",
                        List.of(Map.of("role", "user", "content", "x")),
                        "response_format",
                        Map.of(
                                "type",
                                "json_schema",
                                "json_schema",
                                Map.of(
                                        "name",
                                        "x",
                                        "schema",
                                        Map.of(
                                                "type",
                                                "object",
                                                "properties",
                                                Map.of("a", Map.of("oneOf", List.of())))))))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath();
        assertThat(refused.getString("error.code")).isEqualTo("unsupported_schema");
        assertThat(refused.getString("error.type")).isEqualTo("invalid_request_error");
        assertThat(refused.getString("error.message")).contains("'oneOf'").contains("/properties/a/oneOf");
        JsonPath type = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "messages",
                        List.of(Map.of("role", "user", "content", "x")),
                        "response_format",
                        Map.of("type", "yaml")))
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .extract()
                .jsonPath();
        assertThat(type.getString("error.message")).contains("response_format.type");
    }
}
