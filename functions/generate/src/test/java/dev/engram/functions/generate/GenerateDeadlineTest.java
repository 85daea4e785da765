package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.models.Models;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code engram.request.timeout} on stories260K: a story that would run ~400 tokens stops at the
 * deadline with {@code finishReason: "timeout"}, the text so far and its usage; the OpenAI surface
 * says {@code length}, whole or streamed.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@TestProfile(GenerateDeadlineTest.ShortDeadline.class)
class GenerateDeadlineTest {
    /** Greedy "Once upon a time" runs ~340 tokens (its end-of-story token), well over the budget on either engine. */
    static final int BUDGET_MS = 60;

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("engram.request.timeout", BUDGET_MS + "ms");
        }
    }

    @Inject
    Models models;

    @BeforeEach
    void loaded() {
        models.get(); // the load is not part of any request's budget
        // The first request of a fresh application also pays for class loading and JIT; its outcome is not the point.
        given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "Once", "maxTokens", 1))
                .post("/generate");
    }

    @Test
    void generationStopsAtTheDeadlineWithTheTextSoFar() {
        JsonPath cut =
                GenerateSamplingTest.generate("prompt", "Once upon a time", "maxTokens", 400, "stop", List.of("zzzz"));
        assertThat(cut.getString("finishReason")).isEqualTo("timeout");
        int tokens = cut.getInt("usage.completionTokens");
        assertThat(tokens).isBetween(1, 399);
        assertThat(cut.getString("text")).isNotEmpty();
        assertThat(cut.getInt("usage.promptTokens")).isEqualTo(5);
        // the deadline plus the token in flight; loose, as 2 cores shared with other builds can stall a token
        assertThat(cut.getDouble("timings.totalMs"))
                .isGreaterThanOrEqualTo(BUDGET_MS - 10)
                .isLessThan(BUDGET_MS + 2_000);
        // greedy: the cut text is the start of the reference implementation's whole story
        String story = ReferenceCases.load(TestModels.stories260K()).stream()
                .filter(c -> c.prompt().equals("Once upon a time"))
                .max(java.util.Comparator.comparingInt(ReferenceCases.Case::maxTokens))
                .orElseThrow()
                .text();
        assertThat(story).startsWith(cut.getString("text"));
    }

    @Test
    void theOpenAiSurfaceReportsTheCutAsLengthWholeOrStreamed() {
        Map<String, Object> body = Map.of(
                "messages",
                List.of(Map.of("role", "user", "content", "Once upon a time")),
                "max_tokens",
                400,
                "temperature",
                0,
                "stop",
                List.of("zzzz"));
        JsonPath whole = given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(whole.getString("choices[0].finish_reason")).isEqualTo("length");
        assertThat(whole.getInt("usage.completion_tokens")).isBetween(1, 399);

        Map<String, Object> streamed = new java.util.HashMap<>(body);
        streamed.put("stream", true);
        String events = given().contentType(ContentType.JSON)
                .body(streamed)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(events).contains("\"finish_reason\":\"length\"").endsWith("data: [DONE]\n\n");
        assertThat(events).doesNotContain("\"completion_tokens\":400");
    }
}
