package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sampling options, stop strings and maxTokens, through HTTP. Runs on any model (synthetic stand-in too). */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class GenerateSamplingTest {

    static JsonPath generate(Object... fields) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/generate")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void sameSeedSameTextDifferentSeedsDiffer() {
        String first = generate("prompt", "Once upon a time", "temperature", 1.0, "seed", 1234, "maxTokens", 40)
                .getString("text");
        String again = generate("prompt", "Once upon a time", "temperature", 1.0, "seed", 1234, "maxTokens", 40)
                .getString("text");
        assertThat(again).isEqualTo(first);
        long distinct = List.of(1L, 2L, 3L, 4L).stream()
                .map(seed -> generate("prompt", "Once upon a time", "temperature", 1.0, "seed", seed, "maxTokens", 40)
                        .getString("text"))
                .distinct()
                .count();
        assertThat(distinct).as("four seeds give four different texts").isEqualTo(4);
    }

    @Test
    void topKOneEqualsGreedy() {
        String greedy = generate("prompt", "The dog", "maxTokens", 30).getString("text");
        String topK1 = generate("prompt", "The dog", "temperature", 1.5, "topK", 1, "seed", 99, "maxTokens", 30)
                .getString("text");
        assertThat(topK1).isEqualTo(greedy);
    }

    @Test
    void topPNarrowsTowardsGreedy() {
        // A nucleus so small that only the most likely token is ever in it.
        String greedy = generate("prompt", "Lily wanted to", "maxTokens", 30).getString("text");
        String tinyNucleus = generate(
                        "prompt", "Lily wanted to", "temperature", 1.0, "topP", 1e-6, "seed", 5, "maxTokens", 30)
                .getString("text");
        assertThat(tinyNucleus).isEqualTo(greedy);
    }

    @Test
    void stopStringCutsTheTextBeforeIt() {
        String greedy = generate("prompt", "Once upon a time", "maxTokens", 60).getString("text");
        int dot = greedy.indexOf('.');
        assertThat(dot).as("the greedy text has a sentence end").isPositive();
        JsonPath stopped = generate("prompt", "Once upon a time", "maxTokens", 60, "stop", List.of("."));
        assertThat(stopped.getString("text")).isEqualTo(greedy.substring(0, dot));
        assertThat(stopped.getString("finishReason")).isEqualTo("stop");
    }

    @Test
    void maxTokensIsRespectedExactly() {
        for (int max : new int[] {1, 7, 23}) {
            JsonPath answer = generate("prompt", "Once upon a time", "maxTokens", max);
            assertThat(answer.getInt("usage.completionTokens")).isEqualTo(max);
            assertThat(answer.getString("finishReason")).isEqualTo("length");
        }
    }

    @Test
    void timingsAreReported() {
        JsonPath answer = generate("prompt", "Once upon a time", "maxTokens", 20);
        assertThat(answer.getDouble("timings.timeToFirstTokenMs")).isPositive();
        assertThat(answer.getDouble("timings.totalMs"))
                .isGreaterThanOrEqualTo(answer.getDouble("timings.timeToFirstTokenMs"));
        assertThat(answer.getDouble("timings.tokensPerSecond")).isPositive();
    }
}
