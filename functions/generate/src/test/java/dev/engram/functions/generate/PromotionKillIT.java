package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestModels;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promotion queue across SIGKILLs of a real worker process: folding requests to one instance
 * (worker off) queue summary extractions while separate worker processes are started and killed 20
 * times, most of them while holding claimed entries. Afterwards every entry queued was applied
 * exactly once: one summary memory per entry (dedup is off, so a second application would be a second
 * memory), every entry recorded done once, nothing dead-lettered, nothing left in the stream.
 *
 * <p>The processes get this test's own {@code java.io.tmpdir}: a worker killed while the ONNX runtime
 * is unpacking its library leaves that copy behind (a normal start deletes it once loaded), and the
 * test's temporary directory goes with the test.
 */
class PromotionKillIT {
    private static final String STREAM = "engram:default:promo:{default}:stream";
    private static final String DONE = "engram:default:promo:{default}:done";
    private static final String DEAD = "engram:default:promo:{default}:dead";
    private static final String SLOTS = "engram:default:ltm:{default}:slots";
    private static final int KILLS = 20;

    private int turn;

    @TempDir
    Path processTmp;

    @Test
    void queuedWorkSurvivesWorkerKillsAndIsAppliedExactlyOnce() {
        Path model = TestModels.stories260K();
        Path jar = Path.of(System.getProperty("engram.test.app", "target/quarkus-app/quarkus-run.jar"));
        try (RedisServer redis = new RedisServer().start()) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "ENGRAM_MODEL_PATH",
                    model.toString(),
                    "ENGRAM_REDIS_URL",
                    redis.uri(),
                    "ENGRAM_MEMORY_WINDOW_TOKENS",
                    "40",
                    "ENGRAM_MEMORY_SUMMARY_TOKENS",
                    "16",
                    "ENGRAM_MEMORY_DEDUP_DISTANCE",
                    "0",
                    "ENGRAM_MEMORY_PROMOTION_STRATEGY",
                    "summary",
                    "ENGRAM_MEMORY_PROMOTION_MAX_ATTEMPTS",
                    "1000",
                    "ENGRAM_MEMORY_PROMOTION_CLAIM_IDLE",
                    "1s",
                    "ENGRAM_MEMORY_PROMOTION_RETRY_BACKOFF",
                    "100ms"));
            Map<String, String> workerEnv = new HashMap<>(env);
            workerEnv.put("ENGRAM_MEMORY_PROMOTION_WORKER", "true");
            workerEnv.put("ENGRAM_MEMORY_PROMOTION_POLL_INTERVAL", "100ms");
            List<String> jvm = List.of("-Djava.io.tmpdir=" + processTmp);
            try (FunctionProcess front = FunctionProcess.start(jar, env, jvm)) {
                fold(front, 24);
                int killedHolding = 0;
                for (int kill = 0; kill < KILLS; kill++) {
                    try (FunctionProcess worker = FunctionProcess.start(jar, workerEnv, jvm)) {
                        fold(front, 3);
                        sleep(ThreadLocalRandom.current().nextLong(100, 1200));
                        if (claimed(redis) > 0) {
                            killedHolding++;
                        }
                        worker.kill();
                    }
                }
                long queued = Long.parseLong(field(redis.call("XINFO", "STREAM", STREAM), "entries-added"));
                assertThat(queued).isGreaterThanOrEqualTo(40);
                assertThat(killedHolding)
                        .as("kills of a worker holding claimed entries")
                        .isGreaterThanOrEqualTo(KILLS / 2);

                try (FunctionProcess last = FunctionProcess.start(jar, workerEnv, jvm)) {
                    long deadline = System.nanoTime() + 180_000_000_000L;
                    while (Long.parseLong(redis.call("XLEN", STREAM).strip()) > 0 && System.nanoTime() < deadline) {
                        sleep(200);
                    }
                }
                assertThat(Long.parseLong(redis.call("XLEN", STREAM).strip()))
                        .as("entries left")
                        .isZero();
                assertThat(Long.parseLong(redis.call("XLEN", DEAD).strip()))
                        .as("dead letters")
                        .isZero();
                assertThat(Long.parseLong(redis.call("ZCARD", DONE).strip()))
                        .as("entries done")
                        .isEqualTo(queued);
                assertThat(Long.parseLong(redis.call("HLEN", SLOTS).strip()))
                        .as("memories: one per entry")
                        .isEqualTo(queued);
            }
        }
    }

    /** Sends {@code n} requests that each fold a session's oldest turns (a 40-token window fills in two). */
    private void fold(FunctionProcess front, int n) {
        for (int i = 0; i < n; i++) {
            String session = "s" + (turn % 6);
            turn++;
            given().baseUri(front.uri().toString())
                    .contentType(ContentType.JSON)
                    .body(Map.of("sessionId", session, "prompt", "Once upon a time " + turn, "maxTokens", 24))
                    .post("/generate")
                    .then()
                    .statusCode(200);
        }
    }

    /** Entries claimed by some consumer and not yet acknowledged. */
    private static long claimed(RedisServer redis) {
        String summary = redis.call("XPENDING", STREAM, "promoters");
        return Long.parseLong(summary.lines().findFirst().orElse("0").strip());
    }

    private static String field(String flat, String name) {
        String[] lines = flat.lines().toArray(String[]::new);
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].strip().equals(name)) {
                return lines[i + 1].strip();
            }
        }
        throw new IllegalStateException(name + " not in " + flat);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
