package dev.engram.functions.all;

import static dev.engram.testing.AuthChecks.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.longterm.LtmKeys;
import dev.engram.memory.session.SessionKeys;
import dev.engram.tenant.Tenant;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisCluster;
import dev.engram.testing.RedisClusterTestResource;
import dev.engram.testing.RedisServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A master of the cluster is SIGKILLed under load, twenty times: while its replica is promoted the
 * requests that need that shard answer 503 with Retry-After (never a 500, never a hang); the function
 * recovers by itself once the cluster has; and with {@code engram.redis.wait-replicas=1} no write that
 * was acknowledged is lost — every remembered memory and every session that was answered is there
 * afterwards.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@WithTestResource(RedisClusterTestResource.class)
@TestProfile(ClusterFailoverTest.Profile.class)
class ClusterFailoverTest {
    static final int KILLS = 20;
    static final String T = Tenant.DEFAULT.id();

    /** Acknowledged writes wait for one replica. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "engram.auth.enabled",
                    "false",
                    "engram.redis.wait-replicas",
                    "1",
                    "engram.redis.wait-timeout",
                    "500ms");
        }
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger counter = new AtomicInteger();
    private final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final Queue<String> remembered = new ConcurrentLinkedQueue<>();
    private final Queue<String> sessions = new ConcurrentLinkedQueue<>();

    @Test
    void aKilledMasterIsReplacedAndNothingAcknowledgedIsLost() throws Exception {
        RedisCluster cluster = RedisClusterTestResource.cluster();
        ExecutorService load = Executors.newFixedThreadPool(3);
        List<Future<?>> clients = new ArrayList<>();
        clients.add(load.submit(() -> loop(this::rememberOne)));
        clients.add(load.submit(() -> loop(this::sessionOne)));
        clients.add(load.submit(() -> loop(this::recallOne)));
        List<Long> recoveries = new ArrayList<>();
        try {
            awaitServing(); // the load runs before the first kill
            for (int kill = 0; kill < KILLS; kill++) {
                // alternate: the shard of the tenant's long-term memory, then a session's
                String key = kill % 2 == 0
                        ? LtmKeys.of(T).version()
                        : SessionKeys.of(T, "s-" + counter.get()).meta();
                RedisServer victim = cluster.masterOf(key);
                long killed = System.nanoTime();
                cluster.killMaster(victim);
                cluster.awaitFailover(victim);
                cluster.restart(victim);
                awaitServing();
                recoveries.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                assertThat(problems).as("after kill %d", kill + 1).isEmpty();
            }
        } finally {
            stop.set(true);
            for (Future<?> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }
            load.shutdown();
        }
        System.out.printf(
                "Cluster failover: %d kills, kill to serving again (ms) %s; statuses %s; %d memories and %d sessions acknowledged%n",
                KILLS, recoveries, statuses, remembered.size(), sessions.size());
        assertThat(problems).isEmpty();
        assertThat(statuses.keySet()).as("only answers and 503s").containsOnly(200, 503);
        assertThat(statuses.get(503)).as("the gaps were seen").isPositive();

        for (String id : remembered) {
            String key = LtmKeys.of(T).memory(id);
            assertThat(cluster.cli(
                                    "-c",
                                    "-p",
                                    Integer.toString(cluster.masterOf(key).port()),
                                    "EXISTS",
                                    key)
                            .strip())
                    .as("acknowledged memory " + id)
                    .isEqualTo("1");
        }
        for (String session : sessions) {
            assertThat(post(null, "/session-get", "{\"sessionId\":\"" + session + "\"}")
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("turns"))
                    .as("acknowledged session " + session)
                    .hasSize(2);
        }
    }

    private void loop(Runnable call) {
        while (!stop.get()) {
            call.run();
        }
    }

    private void rememberOne() {
        int n = counter.incrementAndGet();
        ExtractableResponse<Response> r =
                call("/remember", "{\"text\":\"Note " + n + ": the ferry leaves at " + n % 24 + " o'clock.\"}");
        if (r != null && r.statusCode() == 200) {
            remembered.add(r.path("id"));
        }
    }

    private void sessionOne() {
        String session = "s-" + counter.incrementAndGet();
        ExtractableResponse<Response> r = call(
                "/generate", "{\"prompt\":\"Once upon a time\",\"maxTokens\":2,\"sessionId\":\"" + session + "\"}");
        if (r != null && r.statusCode() == 200) {
            sessions.add(session);
        }
    }

    private void recallOne() {
        call("/recall", "{\"query\":\"when does the ferry leave\",\"k\":3}");
    }

    /** One call: its status counted; anything but 200 or a 503 with Retry-After is a problem. */
    private ExtractableResponse<Response> call(String path, String body) {
        long start = System.nanoTime();
        ExtractableResponse<Response> r;
        try {
            r = post(null, path, body).extract();
        } catch (RuntimeException e) {
            problems.add(path + " threw " + e);
            return null;
        }
        statuses.merge(r.statusCode(), 1, Integer::sum);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (r.statusCode() != 200 && !(r.statusCode() == 503 && r.header("Retry-After") != null)) {
            problems.add(path + " answered " + r.statusCode() + ": " + r.body().asString());
        }
        if (millis > 15_000) {
            problems.add(path + " took " + millis + " ms");
        }
        return r;
    }

    /** Until the load's remembers and sessions are answered again (bounded): the function recovered by itself. */
    private void awaitServing() throws InterruptedException {
        int memories = remembered.size();
        int answered = sessions.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (remembered.size() > memories && sessions.size() > answered) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("The function did not serve again within 30 s of the cluster's recovery; statuses "
                + statuses + ", problems " + problems);
    }
}
