package dev.engram.functions.all;

import static dev.engram.functions.all.AllFunctionsTest.CALLS;
import static dev.engram.testing.AuthChecks.post;
import static dev.engram.testing.AuthProfile.ADMIN_KEY;
import static dev.engram.testing.AuthProfile.ALPHA;
import static dev.engram.testing.AuthProfile.ALPHA_KEY;
import static dev.engram.testing.AuthProfile.BETA;
import static dev.engram.testing.AuthProfile.BETA_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.engram.memory.longterm.LtmKeys;
import dev.engram.memory.session.SessionKeys;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisCluster;
import dev.engram.testing.RedisClusterTestResource;
import dev.engram.testing.RedisServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every function on a real Redis Cluster (six redis-server processes: three masters, a replica each),
 * configured the standard way ({@code quarkus.redis.client-type=cluster}, {@code quarkus.redis.hosts} the
 * nodes): sessions spread over the masters, long-term memory, tenant erase across every master, the
 * shared rate limit and a batch job all work as on one Redis.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@WithTestResource(RedisClusterTestResource.class)
@TestProfile(AllFunctionsTest.Profile.class)
class ClusterTest {

    @Test
    void sessionsWorkAndSpreadOverTheMasters() {
        Set<Integer> masters = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            String session = "cluster-" + i + "-" + UUID.randomUUID();
            post(
                            ALPHA_KEY,
                            "/generate",
                            "{\"prompt\":\"Once upon a time\",\"maxTokens\":4,\"sessionId\":\"" + session + "\"}")
                    .statusCode(200);
            post(ALPHA_KEY, "/generate", "{\"prompt\":\"The end\",\"maxTokens\":4,\"sessionId\":\"" + session + "\"}")
                    .statusCode(200);
            post(ALPHA_KEY, "/session-get", "{\"sessionId\":\"" + session + "\"}")
                    .statusCode(200)
                    .body("turns.size()", is(4))
                    .body("turns[2].text", is("The end"));
            masters.add(
                    cluster().masterOf(SessionKeys.of(ALPHA, session).meta()).port());
        }
        assertThat(masters).as("one tenant's sessions live on every master").hasSize(3);
    }

    @Test
    void longTermMemoryRemembersRecallsAndForgets() {
        String fact = "The red kayak is stored behind the boathouse, locker "
                + UUID.randomUUID().toString().substring(0, 6) + ".";
        String id = post(ALPHA_KEY, "/remember", "{\"text\":\"" + fact + "\",\"userId\":\"u-kayak\"}")
                .statusCode(200)
                .extract()
                .path("id");
        String other = post(
                        ALPHA_KEY,
                        "/remember",
                        "{\"text\":\"The blue canoe has a cracked paddle.\",\"userId\":\"u-canoe\"}")
                .statusCode(200)
                .extract()
                .path("id");
        post(ALPHA_KEY, "/recall", "{\"query\":\"where is the kayak\",\"k\":1}")
                .statusCode(200)
                .body("hits[0].id", is(id));
        post(BETA_KEY, "/recall", "{\"query\":\"where is the kayak\"}")
                .statusCode(200)
                .body("hits.id", not(hasItem(id)));
        post(ALPHA_KEY, "/forget", "{\"userId\":\"u-kayak\"}").statusCode(200).body("forgotten", is(1));
        post(ALPHA_KEY, "/recall", "{\"query\":\"where is the kayak\"}")
                .statusCode(200)
                .body("hits.id", not(hasItem(id)))
                .body("hits.id", hasItem(other));
        post(ALPHA_KEY, "/forget", "{\"id\":\"" + other + "\"}").statusCode(200).body("forgotten", is(1));
        assertThat(keys(LtmKeys.of(ALPHA).memoryPrefix() + "*")).isEmpty();
    }

    @Test
    void tenantEraseRemovesTheTenantFromEveryMaster() {
        String tenant = BETA;
        for (int i = 0; i < 12; i++) {
            post(BETA_KEY, "/generate", "{\"prompt\":\"Once\",\"maxTokens\":2,\"sessionId\":\"erase-" + i + "\"}")
                    .statusCode(200);
        }
        post(BETA_KEY, "/remember", "{\"text\":\"Beta's gate code is 1234.\"}").statusCode(200);
        post(ALPHA_KEY, "/generate", "{\"prompt\":\"Once\",\"maxTokens\":2,\"sessionId\":\"kept\"}")
                .statusCode(200);
        Set<String> before = keys("engram:" + tenant + ":*");
        Set<Integer> holding = new HashSet<>();
        for (String key : before) {
            holding.add(cluster().masterOf(key).port());
        }
        assertThat(holding).as("beta's keys are on every master").hasSize(3);
        Set<String> alpha = keys("engram:" + ALPHA + ":*");

        JsonPath erased = post(ADMIN_KEY, "/tenant-erase", "{\"tenant\":\"" + tenant + "\"}")
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(erased.getLong("total")).isEqualTo(before.size());
        assertThat(keys("engram:" + tenant + ":*")).isEmpty();
        assertThat(keys("engram:" + ALPHA + ":*")).containsAll(alpha);
        post(BETA_KEY, "/session-get", "{\"sessionId\":\"erase-0\"}").statusCode(404);
    }

    @Test
    void oneRequestRateCoversEveryFunctionOfATenant() {
        AllFunctionsTest.gammasFourthRequestIsRefused();
    }

    @Test
    void aBatchJobRuns() throws IOException, InterruptedException {
        AllFunctionsTest.runsABatchJob(
                "cluster-test",
                List.of(
                        "{\"customId\":\"g\",\"function\":\"generate\",\"body\":" + CALLS.get("/generate") + "}",
                        "{\"customId\":\"c\",\"function\":\"classify\",\"body\":" + CALLS.get("/classify") + "}",
                        "{\"customId\":\"s\",\"function\":\"summarize\",\"body\":" + CALLS.get("/summarize") + "}"));
    }

    static RedisCluster cluster() {
        return RedisClusterTestResource.cluster();
    }

    /** The keys matching {@code pattern} on every master, asked of each node with redis-cli (not through Engram). */
    static Set<String> keys(String pattern) {
        Set<String> keys = new HashSet<>();
        for (RedisServer master : cluster().masters()) {
            cluster()
                    .cli("-p", Integer.toString(master.port()), "--scan", "--pattern", pattern)
                    .lines()
                    .filter(line -> !line.isBlank())
                    .forEach(keys::add);
        }
        return keys;
    }
}
