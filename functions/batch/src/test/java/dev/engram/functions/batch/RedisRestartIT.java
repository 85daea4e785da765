package dev.engram.functions.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.LoadClient;
import dev.engram.testing.LoadClient.Answer;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestModels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Redis SIGKILLed and started again (same port, same data directory) 2 × {@value #RESTARTS} times under
 * concurrent load on a packaged memory function and a packaged batch function, every Redis path busy:
 * sessions (batch lines that generate in a session, memory's session-get), remember, recall (each
 * recall after a remember re-reads segments over pipelined batches on pooled connections), batch
 * claims, commits, status and submissions. Each round kills Redis under load, starts it, and kills it
 * again a few milliseconds later, while the functions reconnect. After every round each path must serve again within
 * {@link #RECOVERY_BOUND_MS} — neither function is ever restarted — and every answer of the whole run
 * is a success or a 503 {@code memory_unavailable} with Retry-After: never a 500, never a hang.
 */
class RedisRestartIT {
    static final int RESTARTS = 20;
    static final long RECOVERY_BOUND_MS = 15_000;
    static final long OUTAGE_MS = 600;
    static final int LOAD_LINES = 20_000;
    static final Path DIR = Path.of("target/redis-restart-it").toAbsolutePath();
    /** The tenant's own directory below the batch roots (authentication is off: tenant "default"). */
    static final Path TENANT_DIR = DIR.resolve("default");

    record Call(String kind, Answer answer) {}

    @AfterAll
    static void clean() {
        Batch.delete(DIR);
    }

    @Test
    void everyPathServesAgainAfterEachOfTwentyRestarts() throws Exception {
        Path load = Batch.write(TENANT_DIR, "load.jsonl", lines("l", LOAD_LINES));
        Path probe = Batch.write(TENANT_DIR, "probe.jsonl", lines("p", 2));
        try (RedisServer redis = new RedisServer(false).start();
                LoadClient client = new LoadClient()) {
            Map<String, String> env = Map.of(
                    "ENGRAM_REDIS_URL",
                    redis.uri(),
                    "ENGRAM_MODEL_PATH",
                    TestModels.stories260K().toString(),
                    "ENGRAM_BATCH_INPUT_ROOT",
                    DIR.toString(),
                    "ENGRAM_BATCH_OUTPUT_ROOT",
                    DIR.toString(),
                    "ENGRAM_BATCH_CLAIM_IDLE",
                    "3s",
                    "ENGRAM_BATCH_POLL_INTERVAL",
                    "500ms");
            List<String> jvm = List.of("-Dengram.auth.enabled=false", "-Xmx512m");
            try (FunctionProcess memory = FunctionProcess.start(memoryJar(), env, jvm);
                    FunctionProcess batch = FunctionProcess.start(BatchCrashIT.jar(), env, jvm)) {
                // warm: the embedder loads on its first call
                assertThat(client.post(memory.uri(), "/remember", "{\"text\": \"Warm-up.\", \"userId\": \"warm\"}")
                                .status())
                        .isEqualTo(200);
                Answer submitted = client.post(
                        batch.uri(),
                        "/batch-submit",
                        "{\"input\": \"" + load + "\", \"output\": \"" + TENANT_DIR.resolve("load.results.jsonl")
                                + "\"}");
                assertThat(submitted.status()).as(submitted.body()).isEqualTo(200);
                String loadJob =
                        Batch.JSON.readTree(submitted.body()).get("jobId").asText();

                List<Call> calls = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean running = new AtomicBoolean(true);
                ExecutorService pool = Executors.newFixedThreadPool(3);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    int thread = t;
                    workers.add(pool.submit(() -> memoryLoad(client, memory.uri(), thread, running, calls)));
                }
                workers.add(pool.submit(() -> {
                    while (running.get()) {
                        calls.add(new Call(
                                "batch-status",
                                client.post(batch.uri(), "/batch-status", "{\"jobId\": \"" + loadJob + "\"}")));
                    }
                }));

                List<Long> recoveries = new ArrayList<>();
                for (int restart = 1; restart <= RESTARTS; restart++) {
                    Thread.sleep(restart == 1 ? 2_000 : 300); // the load is running when Redis dies
                    redis.kill();
                    Thread.sleep(OUTAGE_MS);
                    redis.start();
                    // and once more while the functions reconnect: a connection opened just before a kill
                    Thread.sleep(restart * 7 % 60);
                    redis.kill();
                    Thread.sleep(OUTAGE_MS / 4);
                    redis.start();
                    long started = System.nanoTime();
                    String stuck = awaitEveryPath(client, memory.uri(), batch.uri(), probe, restart, calls);
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    assertThat(stuck)
                            .as("restart " + restart + " of " + RESTARTS + ": still failing after " + millis
                                    + " ms; see " + memory.log() + " and " + batch.log())
                            .isNull();
                    recoveries.add(millis);
                }
                running.set(false);
                for (Future<?> worker : workers) {
                    worker.get(2, TimeUnit.MINUTES);
                }
                pool.shutdown();

                List<Call> all = List.copyOf(calls);
                List<Long> sorted = recoveries.stream().sorted().toList();
                System.out.printf(
                        "[redis-restart] %d restarts, every path back after %d ms (median), %d ms (slowest); %d calls, %d answered 503%n",
                        RESTARTS,
                        sorted.get(sorted.size() / 2),
                        sorted.getLast(),
                        all.size(),
                        all.stream().filter(c -> c.answer().status() == 503).count());
                assertThat(all).as("calls during the run").hasSizeGreaterThan(RESTARTS * 10);
                assertThat(all).allSatisfy(RedisRestartIT::successOrUnavailable);
                assertThat(all.stream()
                                .filter(c -> c.answer().status() == 503)
                                .map(Call::kind)
                                .distinct())
                        .as("kinds that met an outage")
                        .isNotEmpty();
                assertThat(memory.alive()).as("memory function never restarted").isTrue();
                assertThat(batch.alive()).as("batch function never restarted").isTrue();
            }
        }
    }

    /** Generate lines in a few sessions: batch claims, commits and the session path of the batch function. */
    static List<String> lines(String prefix, int count) {
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(Batch.line(
                    prefix + "-" + i,
                    "generate",
                    Map.of("prompt", "Once upon a time", "maxTokens", 1, "sessionId", prefix + "-session-" + i % 16)));
        }
        return lines;
    }

    /** remember, then recall (which re-reads the changed segment), then a session the batch lines write. */
    static void memoryLoad(LoadClient client, URI memory, int thread, AtomicBoolean running, List<Call> calls) {
        for (int n = 0; running.get(); n++) {
            calls.add(new Call(
                    "remember",
                    client.post(
                            memory,
                            "/remember",
                            "{\"text\": \"Worker " + thread + " noted fact " + n
                                    + " about a green heron.\", \"userId\": \"w" + thread + "\"}")));
            calls.add(new Call("recall", client.post(memory, "/recall", "{\"query\": \"green heron\", \"k\": 3}")));
            calls.add(new Call(
                    "session-get",
                    client.post(memory, "/session-get", "{\"sessionId\": \"l-session-" + n % 16 + "\"}")));
        }
    }

    /**
     * Polls each path until it answers (bounded); returns null when all did, else the first that did
     * not. Every answer counts in {@code calls}. The batch path is a fresh two-line job that must complete.
     */
    static String awaitEveryPath(LoadClient client, URI memory, URI batch, Path probe, int restart, List<Call> calls)
            throws Exception {
        long deadline = System.nanoTime() + RECOVERY_BOUND_MS * 1_000_000;
        String jobId = null;
        boolean remember = false;
        boolean recall = false;
        boolean session = false;
        boolean job = false;
        while (System.nanoTime() < deadline && !(remember && recall && session && job)) {
            if (!remember) {
                remember = recorded(
                                        calls,
                                        "remember",
                                        client.post(
                                                memory,
                                                "/remember",
                                                "{\"text\": \"Probe " + restart
                                                        + " after a restart.\", \"userId\": \"probe\"}"))
                                .status()
                        == 200;
            }
            if (!recall) {
                recall = recorded(calls, "recall", client.post(memory, "/recall", "{\"query\": \"probe\", \"k\": 1}"))
                                .status()
                        == 200;
            }
            if (!session) {
                int status = recorded(
                                calls,
                                "session-get",
                                client.post(memory, "/session-get", "{\"sessionId\": \"p-session-0\"}"))
                        .status();
                session = status == 200 || status == 404;
            }
            if (jobId == null) {
                Answer submitted = recorded(
                        calls,
                        "batch-submit",
                        client.post(
                                batch,
                                "/batch-submit",
                                "{\"input\": \"" + probe
                                        + "\", \"output\": \""
                                        + probe.resolveSibling("probe-" + restart + ".results.jsonl")
                                        + "\", \"idempotencyKey\": \"probe-" + restart + "\"}"));
                jobId = submitted.status() == 200
                        ? Batch.JSON.readTree(submitted.body()).get("jobId").asText()
                        : null;
            }
            if (jobId != null && !job) {
                Answer status = recorded(
                        calls, "batch-status", client.post(batch, "/batch-status", "{\"jobId\": \"" + jobId + "\"}"));
                if (status.status() == 200) {
                    JsonNode body = Batch.JSON.readTree(status.body());
                    job = "completed".equals(body.get("state").asText())
                            && body.get("written").asInt() == 2;
                }
            }
            Thread.sleep(50);
        }
        return !remember
                ? "remember"
                : !recall ? "recall" : !session ? "session-get" : !job ? "batch job " + jobId : null;
    }

    private static Answer recorded(List<Call> calls, String kind, Answer answer) {
        calls.add(new Call(kind, answer));
        return answer;
    }

    private static void successOrUnavailable(Call call) {
        Answer a = call.answer();
        String seen = call.kind() + " -> " + a.status() + " " + a.body();
        if (a.status() == 503) {
            assertThat(a.error()).as(seen).isEqualTo("memory_unavailable");
            assertThat(a.retryAfter()).as("Retry-After of " + seen).isNotBlank();
        } else {
            assertThat(a.status()).as(seen).isIn(call.kind().equals("session-get") ? List.of(200, 404) : List.of(200));
        }
    }

    /** functions/memory is built before functions/batch in the reactor; its packaged jar is beside this module. */
    static Path memoryJar() {
        Path jar = Path.of(System.getProperty("engram.test.memory-app", "../memory/target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No packaged memory function at " + jar
                    + ": package it first (./mvnw verify -pl functions/memory,functions/batch -am)");
        }
        return jar;
    }
}
