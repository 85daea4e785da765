package dev.engram.functions.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestModels;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly once with real processes: the packaged batch function killed with SIGKILL at three points of
 * a job (about 10 %, 50 % and 90 % of the lines done) and started again each time; and two runner
 * JVMs sharing one job. Every customId ends up exactly once in the output, every line a whole result.
 */
class BatchCrashIT {
    static final Path ROOT = Path.of("target/batch-crash-it").toAbsolutePath();
    /** The files of tenant default (authentication is off), below the batch roots. */
    static final Path DIR = ROOT.resolve("default");

    static final int LINES = 100;

    @AfterAll
    static void clean() {
        Batch.delete(ROOT);
    }

    static Map<String, String> env(RedisServer redis) {
        return Map.of(
                "ENGRAM_MODEL_PATH",
                TestModels.stories260K().toString(),
                "ENGRAM_REDIS_URL",
                redis.uri(),
                "ENGRAM_BATCH_CLAIM_IDLE",
                "3s",
                "ENGRAM_BATCH_POLL_INTERVAL",
                "500ms",
                "ENGRAM_BATCH_PROGRESS_INTERVAL",
                "2s",
                "ENGRAM_TRANSLATE_LANGUAGES",
                "en,de",
                "ENGRAM_BATCH_INPUT_ROOT",
                ROOT.toString(),
                "ENGRAM_BATCH_OUTPUT_ROOT",
                ROOT.toString());
    }

    /** The runners' own java.io.tmpdir, so what killed instances leave behind can be seen. */
    static final Path RUNNER_TMP = ROOT.resolve("runner-tmp");

    static List<String> jvm() {
        try {
            Files.createDirectories(RUNNER_TMP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.of("-Djava.io.tmpdir=" + RUNNER_TMP);
    }

    static Path jar() {
        return Path.of(System.getProperty("engram.test.app", "target/quarkus-app/quarkus-run.jar"));
    }

    static JsonPath call(FunctionProcess function, String name, Map<String, ?> body) {
        return given().baseUri(function.uri().toString())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static JsonPath await(FunctionProcess function, String jobId, Predicate<JsonPath> condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath status = call(function, "batch-status", Map.of("jobId", jobId));
            if (condition.test(status)) {
                return status;
            }
            Batch.sleep(40);
        }
        throw new AssertionError("Job " + jobId + " did not get there; see " + function.log());
    }

    /** Half fast classify lines, half generate lines of 120 tokens: slow enough to be killed mid-way. */
    static Path input(String name, int lines) {
        List<String> text = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            text.add(
                    i % 2 == 0
                            ? Batch.line(
                                    "c-" + i,
                                    "classify",
                                    Map.of(
                                            "text",
                                            "The team won the cup final.",
                                            "labels",
                                            Batch.LABELS,
                                            "mode",
                                            "embedding"))
                            : Batch.line(
                                    "g-" + i,
                                    "generate",
                                    Map.of("prompt", "Once upon a time", "maxTokens", 120, "temperature", 0)));
        }
        return Batch.write(DIR, name, text);
    }

    @Test
    void aRunnerKilledThreeTimesStillWritesEachLineExactlyOnce() {
        Path input = input("crash.jsonl", LINES);
        try (RedisServer redis = new RedisServer().start()) {
            String jobId;
            FunctionProcess runner = FunctionProcess.start(jar(), env(redis), jvm());
            try {
                jobId = call(runner, "batch-submit", Map.of("input", input.toString()))
                        .getString("jobId");
                int[] percents = {10, 50, 90};
                for (int k = 0; k < percents.length; k++) {
                    int percent = percents[k];
                    int runners = k + 1;
                    // this runner has done lines of its own too: a fast engine must not pass a mark before it is killed
                    JsonPath before = await(
                            runner,
                            jobId,
                            s -> s.getInt("done") >= LINES * percent / 100
                                    && s.getMap("runners").size() >= runners);
                    assertThat(before.getString("state")).isEqualTo("running");
                    assertThat(before.getInt("done")).isLessThan(LINES);
                    runner.kill(); // SIGKILL: no shutdown hook, no last checkpoint
                    runner.close();
                    runner = FunctionProcess.start(jar(), env(redis), jvm());
                }
                JsonPath done = await(runner, jobId, s -> "completed".equals(s.getString("state")));
                assertThat(done.getInt("done")).isEqualTo(LINES);
                assertThat(done.getInt("written")).isEqualTo(LINES);
                assertThat(done.getInt("failed")).isZero();
                // four runner processes each did part of the job
                assertThat(done.getMap("runners")).hasSize(4);
            } finally {
                runner.close();
            }
            // three SIGKILLed instances and one stopped: nothing of theirs in the temp dir but the fixed
            // names every instance reuses (Jlama's working directory, Vert.x's cache root), both empty
            try (Stream<Path> left = Files.walk(RUNNER_TMP)) {
                assertThat(left.filter(p -> !p.equals(RUNNER_TMP))
                                .map(p -> RUNNER_TMP.relativize(p).toString())
                                .toList())
                        .as("left in the runners' temp dir")
                        .isSubsetOf("engram-jlama", "vertx-cache");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<JsonNode> output = Batch.output(Path.of(input + ".results.jsonl"));
            Batch.assertEachCustomIdOnce(output, LINES);
            assertThat(output)
                    .allSatisfy(line -> assertThat(line.get("status").asText()).isEqualTo("ok"));
            assertThat(output.stream()
                            .filter(l -> l.get("customId").asText().startsWith("g-"))
                            .map(l -> l.get("response").get("text").asText())
                            .distinct())
                    .hasSize(1);
        }
    }

    @Test
    void twoRunnersShareOneJobWithoutDoingALineTwice() {
        Path input = input("shared.jsonl", 60);
        try (RedisServer redis = new RedisServer().start();
                FunctionProcess first = FunctionProcess.start(jar(), env(redis));
                FunctionProcess second = FunctionProcess.start(jar(), env(redis))) {
            String jobId = call(first, "batch-submit", Map.of("input", input.toString()))
                    .getString("jobId");
            JsonPath done = await(second, jobId, s -> "completed".equals(s.getString("state")));
            Map<String, Integer> runners = done.getMap("runners");
            assertThat(runners).hasSize(2);
            assertThat(runners.values()).allSatisfy(count -> assertThat(count).isPositive());
            assertThat(runners.values().stream().mapToInt(Integer::intValue).sum())
                    .isEqualTo(60);
            Batch.assertEachCustomIdOnce(Batch.output(Path.of(input + ".results.jsonl")), 60);
        }
    }
}
