package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Beyond the queue (2 waiting, 200 ms wait) requests get 503 with Retry-After, never another error. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@TestProfile(GenerateOverloadTest.SmallQueue.class)
class GenerateOverloadTest {

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "engram.inference.queue-size",
                    "2",
                    "engram.inference.queue-timeout",
                    "200ms",
                    "engram.inference.max-batch",
                    "1");
        }
    }

    @Test
    void excessRequestsGet503WithRetryAfter() throws Exception {
        // Warm up so the model is loaded before the burst.
        GenerateSamplingTest.generate("prompt", "Once", "maxTokens", 1);
        List<Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            List<Future<Response>> burst = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                burst.add(pool.submit(() -> given().contentType(ContentType.JSON)
                        .body(Map.of(
                                "prompt",
                                "He liked to play with his ball. ".repeat(30),
                                "maxTokens",
                                200,
                                "stop",
                                List.of("zzzz")))
                        .post("/generate")));
            }
            for (Future<Response> f : burst) {
                responses.add(f.get());
            }
        }
        List<Integer> statuses = responses.stream().map(Response::statusCode).toList();
        assertThat(statuses).containsOnly(200, 503).contains(200, 503);
        for (Response r : responses) {
            if (r.statusCode() == 503) {
                assertThat(r.header("Retry-After")).isNotBlank();
                assertThat(r.jsonPath().getString("error")).isEqualTo("overloaded");
                assertThat(r.jsonPath().getString("message")).contains("busy");
            }
        }
    }

    @Test
    void theOpenAiSurfaceAnswersOverloadWith503RetryAfterStreamOrNot() throws Exception {
        GenerateSamplingTest.generate("prompt", "Once", "maxTokens", 1);
        List<Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            List<Future<Response>> burst = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                boolean stream = i % 2 == 0;
                burst.add(pool.submit(() -> given().contentType(ContentType.JSON)
                        .body(Map.of(
                                "messages",
                                List.of(Map.of(
                                        "role", "user", "content", "He liked to play with his ball. ".repeat(30))),
                                "max_tokens",
                                200,
                                "stop",
                                List.of("zzzz"),
                                "stream",
                                stream))
                        .post("/v1/chat/completions")));
            }
            for (Future<Response> f : burst) {
                responses.add(f.get());
            }
        }
        assertThat(responses.stream().map(Response::statusCode).toList())
                .containsOnly(200, 503)
                .contains(200, 503);
        for (Response r : responses) {
            if (r.statusCode() == 503) {
                assertThat(r.header("Retry-After")).isNotBlank();
                assertThat(r.jsonPath().getString("error.code")).isEqualTo("overloaded");
                assertThat(r.jsonPath().getString("error.type")).isEqualTo("server_error");
            }
        }
    }
}
