package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.auth.ApiKeys;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import dev.engram.testing.StartupLog;
import dev.engram.testing.TestModels;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads when the packaged function starts: a model that cannot be found is an ERROR at
 * start-up naming the setting to fix (not silence until the first request's 503), and a start with a
 * working model and keys logs no WARN or ERROR at all.
 */
class GenerateStartupLogIT {
    static Path jar() {
        return Path.of(System.getProperty("engram.test.app", "target/quarkus-app/quarkus-run.jar"));
    }

    @Test
    void aWrongModelPathIsAnErrorAtStartUpThatNamesTheFix() {
        Path missing = Path.of("target/no-model-here").toAbsolutePath();
        try (FunctionProcess function =
                FunctionProcess.launch(jar(), Map.of("ENGRAM_MODEL_PATH", missing.toString()), List.of())) {
            awaitStarted(function);
            List<String> errors = StartupLog.problems(function.log()).stream()
                    .filter(line -> line.contains(" ERROR "))
                    .toList();
            assertThat(errors)
                    .as("log %s", function.log())
                    .singleElement()
                    .satisfies(line -> assertThat(line)
                            .contains(
                                    "[dev.engram.inference.models.Models]",
                                    "No model at " + missing,
                                    "Set ENGRAM_MODEL_PATH",
                                    "ENGRAM_MODEL_ID"));

            given().baseUri(function.uri().toString())
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503);
            given().baseUri(function.uri().toString())
                    .contentType(ContentType.JSON)
                    .body(Map.of("prompt", "Once upon a time"))
                    .post("/generate")
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "30")
                    .body("error", org.hamcrest.Matchers.equalTo("model_unavailable"));
        }
    }

    @Test
    void aWorkingStartLogsNoWarningOrError() {
        String key = "startup-log-test-key";
        try (RedisServer redis = new RedisServer().start();
                FunctionProcess function = FunctionProcess.start(
                        jar(),
                        Map.of(
                                "ENGRAM_MODEL_PATH",
                                TestModels.stories260K().toString(),
                                "ENGRAM_REDIS_URL",
                                redis.uri(),
                                "ENGRAM_AUTH_KEYS",
                                "acme:" + ApiKeys.hash(key)))) {
            given().baseUri(function.uri().toString())
                    .header("Authorization", "Bearer " + key)
                    .contentType(ContentType.JSON)
                    .body(Map.of("prompt", "Once upon a time", "maxTokens", 4, "sessionId", "s1"))
                    .post("/generate")
                    .then()
                    .statusCode(200);
            assertThat(StartupLog.problems(function.log()))
                    .as("log %s", function.log())
                    .isEmpty();
        }
    }

    /** /q/health/started is up once the model load has ended, whether it worked or not. */
    static void awaitStarted(FunctionProcess function) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(function.alive())
                    .as("the function exited; see %s", function.log())
                    .isTrue();
            try {
                if (given().baseUri(function.uri().toString())
                                .get("/q/health/started")
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (Exception notListeningYet) {
                // RestAssured throws the ConnectException itself while the HTTP server is not up yet
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("The model load did not end within 60 s; see " + function.log());
    }
}
