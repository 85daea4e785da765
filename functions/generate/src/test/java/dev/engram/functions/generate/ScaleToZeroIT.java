package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestModels;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scale-to-zero with real processes: a session started in one instance and continued in a fresh one
 * (new JVM, nothing warm) gets exactly the answer a single warm instance gives.
 */
class ScaleToZeroIT {
    static JsonPath turn(FunctionProcess function, String sessionId, String prompt) {
        return given().baseUri(function.uri().toString())
                .contentType(ContentType.JSON)
                .body(Map.of("sessionId", sessionId, "prompt", prompt, "maxTokens", 24, "echo", true))
                .post("/generate")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void aFreshInstanceContinuesASessionExactlyAsAWarmOne() {
        Path model = TestModels.stories260K();
        Path jar = Path.of(System.getProperty("engram.test.app", "target/quarkus-app/quarkus-run.jar"));
        try (RedisServer redis = new RedisServer().start()) {
            Map<String, String> env = Map.of("ENGRAM_MODEL_PATH", model.toString(), "ENGRAM_REDIS_URL", redis.uri());
            JsonPath warmThird;
            try (FunctionProcess warm = FunctionProcess.start(jar, env)) {
                turn(warm, "warm", "Once upon a time");
                turn(warm, "warm", "The dog");
                warmThird = turn(warm, "warm", "Lily wanted to");
                turn(warm, "cold", "Once upon a time");
                turn(warm, "cold", "The dog");
                warm.kill();
            }
            try (FunctionProcess fresh = FunctionProcess.start(jar, env)) {
                JsonPath coldThird = turn(fresh, "cold", "Lily wanted to");
                assertThat(coldThird.getString("prompt")).isEqualTo(warmThird.getString("prompt"));
                assertThat(coldThird.getString("text")).isEqualTo(warmThird.getString("text"));
                assertThat(coldThird.getInt("memory.turns")).isEqualTo(6);
            }
        }
    }
}
