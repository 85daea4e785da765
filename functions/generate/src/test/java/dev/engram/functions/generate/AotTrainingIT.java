package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.FunctionProcess;
import dev.engram.testing.TestModels;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache's training start ({@code -Paot}, the container image): the packaged function primes its
 * model and embedder, exits by itself, and the JVM writes the cache; a function started from that cache
 * (refused outright if it does not fit: {@code -XX:AOTMode=on}) serves with the engine's classes taken
 * from it, which only the priming can have put there.
 */
class AotTrainingIT {
    @Test
    void theTrainingStartPrimesExitsAndLeavesACacheWithTheEngineInIt(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("engram.test.app", "target/quarkus-app/quarkus-run.jar"));
        Path cache = dir.resolve("app.aot");
        Map<String, String> env =
                Map.of("ENGRAM_MODEL_PATH", TestModels.stories260K().toString());

        try (FunctionProcess training = FunctionProcess.launch(
                jar,
                Map.of("ENGRAM_MODEL_PATH", TestModels.stories260K().toString(), "ENGRAM_STARTUP_TRAINING_RUN", "true"),
                List.of("-XX:AOTCacheOutput=" + cache))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (training.alive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(training.alive())
                    .as("the training start exits by itself")
                    .isFalse();
            assertThat(Files.readString(training.log())).contains("Primed in").contains("model stories260K");
        }
        assertThat(cache).isNotEmptyFile();

        try (FunctionProcess function = FunctionProcess.start(
                jar, env, List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-Xlog:class+load=info"))) {
            given().baseUri(function.uri().toString())
                    .contentType(ContentType.JSON)
                    .body(Map.of("prompt", "Once upon a time", "maxTokens", 8))
                    .post("/generate")
                    .then()
                    .statusCode(200);
            assertThat(Files.readString(function.log()))
                    .contains("dev.engram.inference.llama.LlamaConfig source: shared objects file");
        }
    }
}
