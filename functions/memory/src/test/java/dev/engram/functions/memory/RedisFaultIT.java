package dev.engram.functions.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.LoadClient;
import dev.engram.testing.LoadClient.Answer;
import dev.engram.testing.RedisServer;
import dev.engram.testing.TestModels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Redis SIGKILLed in the middle of a bounded load on a packaged memory function and a packaged generate
 * function (real processes, loopback): while it is down, everything that needs Redis answers 503
 * {@code memory_unavailable} with Retry-After and generate without a session keeps answering 200; after
 * a restart on the same port and data directory both functions answer 200 again without being
 * restarted, and nothing acknowledged before the kill is lost ({@code appendfsync always}).
 */
class RedisFaultIT {
    static final int THREADS = 4;
    static final long BEFORE_MS = 6_000;
    static final int MIN_CALLS_BEFORE = 30;
    static final long OUTAGE_MS = 3_000;
    static final long AFTER_MS = 5_000;
    static final long RECOVERY_BOUND_MS = 20_000;
    /** Each session takes a few exchanges only, so none is folded out of the window while we count its turns. */
    static final int EXCHANGES_PER_SESSION = 4;

    static final ObjectMapper JSON = new ObjectMapper();

    record Call(String kind, String key, String text, Answer answer) {}

    @Test
    void redisKilledMidLoadIs503ThenRecoversWithNothingAcknowledgedLost() throws Exception {
        try (RedisServer redis = new RedisServer().start();
                LoadClient client = new LoadClient()) {
            Map<String, String> env = Map.of(
                    "ENGRAM_REDIS_URL",
                    redis.uri(),
                    "ENGRAM_MODEL_PATH",
                    TestModels.stories260K().toString(),
                    "ENGRAM_MEMORY_DEDUP_DISTANCE",
                    "0"); // every remembered text keeps its own id
            try (FunctionProcess memory = FunctionProcess.start(Processes.memoryJar(), env, Processes.JVM_OPTIONS);
                    FunctionProcess generate =
                            FunctionProcess.start(Processes.generateJar(), env, Processes.JVM_OPTIONS)) {
                // warm first (the embedder loads on its first call, ~1-4 s), so the load before the kill is real
                // traffic
                assertThat(client.post(memory.uri(), "/remember", "{\"text\": \"Warm-up.\", \"userId\": \"warm\"}")
                                .status())
                        .isEqualTo(200);
                assertThat(client.post(
                                        generate.uri(),
                                        "/generate",
                                        "{\"prompt\": \"Once\", \"sessionId\": \"warm\", \"maxTokens\": 1}")
                                .status())
                        .isEqualTo(200);
                List<Call> calls = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean running = new AtomicBoolean(true);
                ExecutorService pool = Executors.newFixedThreadPool(THREADS);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int thread = t;
                    workers.add(pool.submit(() -> load(client, memory, generate, thread, running, calls)));
                }
                Thread.sleep(BEFORE_MS);
                // a busy machine is slower: the kill waits (bounded) for enough answered calls to judge by
                for (long waitUntil = System.currentTimeMillis() + 60_000;
                        calls.size() < MIN_CALLS_BEFORE && System.currentTimeMillis() < waitUntil; ) {
                    Thread.sleep(100);
                }
                redis.kill();
                long killed = System.nanoTime();
                Thread.sleep(OUTAGE_MS);
                long restarting = System.nanoTime();
                redis.start();
                long recovered = awaitRecovery(client, memory, generate);
                Thread.sleep(AFTER_MS);
                running.set(false);
                for (Future<?> worker : workers) {
                    worker.get(2, TimeUnit.MINUTES);
                }
                pool.shutdown();

                List<Call> all = List.copyOf(calls);
                List<Call> before =
                        all.stream().filter(c -> c.answer().endedBefore(killed)).toList();
                List<Call> outage = all.stream()
                        .filter(c ->
                                c.answer().startedAfter(killed) && c.answer().endedBefore(restarting))
                        .toList();
                List<Call> after = all.stream()
                        .filter(c -> c.answer().startedAfter(recovered))
                        .toList();
                System.out.printf(
                        "[redis-fault] %d calls: %d before the kill, %d during the outage, %d after recovery "
                                + "(recovered %d ms after the restart began)%n",
                        all.size(), before.size(), outage.size(), after.size(), (recovered - restarting) / 1_000_000);

                assertThat(before)
                        .as("calls before the kill")
                        .hasSizeGreaterThan(MIN_CALLS_BEFORE - THREADS)
                        .allSatisfy(c ->
                                assertThat(c.answer().status()).as(c.toString()).isEqualTo(200));
                assertThat(outage).as("calls during the outage").hasSizeGreaterThan(10);
                for (Call c : outage) {
                    if (c.kind().equals("generate-plain")) {
                        assertThat(c.answer().status())
                                .as("no session, no Redis needed: " + c)
                                .isEqualTo(200);
                    } else {
                        assertThat(c.answer().status()).as(c.toString()).isEqualTo(503);
                        assertThat(c.answer().error()).as(c.toString()).isEqualTo("memory_unavailable");
                        assertThat(c.answer().retryAfter())
                                .as("Retry-After of " + c)
                                .isNotBlank();
                    }
                }
                assertThat(outage.stream().map(Call::kind).distinct())
                        .containsExactlyInAnyOrder("remember", "generate-session", "generate-plain");
                assertThat(after)
                        .as("calls after recovery")
                        .hasSizeGreaterThan(10)
                        .allSatisfy(c ->
                                assertThat(c.answer().status()).as(c.toString()).isEqualTo(200));
                // calls in flight at the kill or the restart: either answer is right, nothing else
                assertThat(all)
                        .allSatisfy(c -> assertThat(c.answer().status() == 200
                                        || (c.answer().status() == 503
                                                && c.answer().error().equals("memory_unavailable")))
                                .as(c.toString())
                                .isTrue());

                assertThat(memory.alive()).as("memory function never restarted").isTrue();
                assertThat(generate.alive())
                        .as("generate function never restarted")
                        .isTrue();
                assertAcknowledgedWritesSurvived(client, memory, all);
            }
        }
    }

    /** One worker: remember, generate in a session, generate without one; every call recorded. */
    private static void load(
            LoadClient client,
            FunctionProcess memory,
            FunctionProcess generate,
            int thread,
            AtomicBoolean running,
            List<Call> calls) {
        for (int n = 0; running.get(); n++) {
            String user = "fault-" + thread + "-" + n;
            String fact = "Worker " + thread + " wrote fact number " + n + " about a red kite.";
            calls.add(new Call(
                    "remember",
                    user,
                    fact,
                    client.post(
                            memory.uri(), "/remember", "{\"text\": \"" + fact + "\", \"userId\": \"" + user + "\"}")));
            String session = "fault-" + thread + "-s" + (n / EXCHANGES_PER_SESSION);
            String prompt = "Once upon a time " + thread + " " + n;
            calls.add(new Call(
                    "generate-session",
                    session,
                    prompt,
                    client.post(
                            generate.uri(),
                            "/generate",
                            "{\"prompt\": \"" + prompt + "\", \"sessionId\": \"" + session + "\", \"maxTokens\": 4}")));
            calls.add(new Call(
                    "generate-plain",
                    "",
                    "The dog",
                    client.post(generate.uri(), "/generate", "{\"prompt\": \"The dog\", \"maxTokens\": 4}")));
        }
    }

    /** Waits (bounded) until both functions serve a Redis-backed request again; returns when. */
    private static long awaitRecovery(LoadClient client, FunctionProcess memory, FunctionProcess generate)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + RECOVERY_BOUND_MS;
        boolean memoryBack = false;
        boolean generateBack = false;
        while (System.currentTimeMillis() < deadline && !(memoryBack && generateBack)) {
            memoryBack = memoryBack
                    || client.post(memory.uri(), "/session-get", "{\"sessionId\": \"probe\"}")
                                    .status()
                            == 404;
            generateBack = generateBack
                    || client.post(
                                            generate.uri(),
                                            "/generate",
                                            "{\"prompt\": \"Once\", \"sessionId\": \"fault-probe\", \"maxTokens\": 1}")
                                    .status()
                            == 200;
            Thread.sleep(100);
        }
        assertThat(memoryBack && generateBack)
                .as("both functions serve Redis again within " + RECOVERY_BOUND_MS + " ms")
                .isTrue();
        return System.nanoTime();
    }

    /** Every remember answered 200 is recallable; every session exchange answered 200 is in its session. */
    private static void assertAcknowledgedWritesSurvived(LoadClient client, FunctionProcess memory, List<Call> all)
            throws Exception {
        int memories = 0;
        Set<String> sessions = new HashSet<>();
        for (Call c : all) {
            if (c.answer().status() != 200) {
                continue;
            }
            if (c.kind().equals("remember")) {
                String id = JSON.readTree(c.answer().body()).get("id").asText();
                Answer recall = client.post(
                        memory.uri(),
                        "/recall",
                        "{\"query\": \"" + c.text() + "\", \"minScore\": -1, " + "\"filters\": {\"userId\": \""
                                + c.key() + "\"}}");
                assertThat(recall.status()).as(recall.body()).isEqualTo(200);
                List<String> ids = new ArrayList<>();
                JSON.readTree(recall.body())
                        .get("hits")
                        .forEach(h -> ids.add(h.get("id").asText()));
                assertThat(ids)
                        .as("acknowledged memory " + c.key() + " after the restart")
                        .containsExactly(id);
                memories++;
            } else if (c.kind().equals("generate-session")) {
                sessions.add(c.key());
            }
        }
        int turns = 0;
        for (String session : sessions) {
            Answer view = client.post(memory.uri(), "/session-get", "{\"sessionId\": \"" + session + "\"}");
            assertThat(view.status()).as(session + ": " + view.body()).isEqualTo(200);
            List<String> stored = new ArrayList<>();
            JsonNode turnsNode = JSON.readTree(view.body()).get("turns");
            turnsNode.forEach(
                    t -> stored.add(t.get("role").asText() + ":" + t.get("text").asText()));
            for (Call c : all) {
                if (c.kind().equals("generate-session")
                        && c.key().equals(session)
                        && c.answer().status() == 200) {
                    assertThat(stored).as("acknowledged turn in " + session).contains("user:" + c.text());
                    turns++;
                }
            }
        }
        System.out.printf(
                "[redis-fault] after the restart: %d acknowledged memories recalled by id, %d acknowledged "
                        + "session exchanges found in %d sessions%n",
                memories, turns, sessions.size());
        assertThat(memories).isGreaterThan(10);
        assertThat(turns).isGreaterThan(10);
    }
}
