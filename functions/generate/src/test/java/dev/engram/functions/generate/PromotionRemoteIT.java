package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestModels;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The memory worker on the remote engine: a packaged generate function (the model in-process) serves
 * /v1, a second one with {@code engram.inference.backend=remote} calls it, folds sessions and drains
 * its queue with the {@code discrete} strategy. The server enforces the schema (response_format), so
 * the worker stores typed facts as it does in-process.
 */
class PromotionRemoteIT {
    private static final String PREFIX = "engram:default:ltm:{default}:";

    @Test
    void theWorkerExtractsTypedFactsThroughAnotherInstancesV1Surface() {
        Path model = TestModels.stories260K();
        Path jar = Path.of(System.getProperty("engram.test.app", "target/quarkus-app/quarkus-run.jar"));
        try (RedisServer redis = new RedisServer().start();
                FunctionProcess server = FunctionProcess.start(
                        jar, Map.of("ENGRAM_MODEL_PATH", model.toString(), "ENGRAM_REDIS_URL", redis.uri()));
                FunctionProcess client = FunctionProcess.start(
                        jar,
                        Map.of(
                                "ENGRAM_REDIS_URL",
                                redis.uri(),
                                "ENGRAM_INFERENCE_BACKEND",
                                "remote",
                                "ENGRAM_INFERENCE_REMOTE_BASE_URL",
                                server.uri() + "/v1",
                                "ENGRAM_INFERENCE_REMOTE_CHAT_TEMPLATE",
                                "false",
                                "ENGRAM_INFERENCE_REMOTE_TOKENIZER",
                                model.toString(),
                                "ENGRAM_MEMORY_WINDOW_TOKENS",
                                "40",
                                "ENGRAM_MEMORY_SUMMARY_TOKENS",
                                "16",
                                "ENGRAM_MEMORY_PROMOTION_STRATEGY",
                                "discrete",
                                "ENGRAM_MEMORY_PROMOTION_RETRY_BACKOFF",
                                "50ms",
                                "ENGRAM_MEMORY_PROMOTION_MAX_ATTEMPTS",
                                "10"))) {
            for (String prompt : List.of("Once upon a time", "The dog", "Lily wanted to", "Tom had a")) {
                given().baseUri(client.uri().toString())
                        .contentType(ContentType.JSON)
                        .body(Map.of("sessionId", "far", "prompt", prompt, "maxTokens", 16))
                        .post("/generate")
                        .then()
                        .statusCode(200);
            }
            long queued = Long.parseLong(
                    redis.call("XLEN", "engram:default:promo:{default}:stream").strip());
            assertThat(queued).isPositive();

            int promoted = 0;
            for (int call = 0; call < 100 && promoted < queued; call++) {
                JsonPath drained = given().baseUri(client.uri().toString())
                        .contentType(ContentType.JSON)
                        .body(Map.of())
                        .post("/memory-promote")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath();
                promoted += drained.getInt("promoted");
                assertThat(drained.getInt("deadLettered")).isZero();
            }
            assertThat(promoted).isEqualTo(queued);
            assertThat(redis.call("XLEN", "engram:default:promo:{default}:stream")
                            .strip())
                    .isEqualTo("0");

            List<String> ids = redis.call("HKEYS", PREFIX + "slots")
                    .lines()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .toList();
            assertThat(ids).isNotEmpty();
            for (String id : ids) {
                String tags = redis.call("HGET", PREFIX + "m:" + id, "tags");
                assertThat(tags).containsAnyOf("kind:semantic", "kind:preference", "kind:episodic");
                assertThat(redis.call("HGET", PREFIX + "m:" + id, "source").strip())
                        .isEqualTo("conversation");
            }
        }
    }
}
