package dev.engram.functions.memory;

import static dev.engram.functions.memory.LongTerm.call;
import static dev.engram.functions.memory.LongTerm.remember;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.RecallFilter;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.longterm.Remembered;
import dev.engram.memory.longterm.VectorIndexes;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long-term memory's behaviour, written against whatever index the Redis server offers: here (Redis 7,
 * no modules) the in-function {@code ScanIndex}. To run the same tests against the query engine, point
 * the suite at a Redis 8 (or Redis Stack) binary:
 * {@code ./mvnw -B verify -pl functions/memory -Dtest='LongTerm*,RecallQuality*' -Dengram.test.redis-server=/path/to/redis-8/redis-server}
 * (the index is chosen by probing {@code COMMAND INFO FT.SEARCH}; the test output names it).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class LongTermMemoryTest {
    static final String DEFAULT = Tenant.DEFAULT.id();

    @Inject
    LongTermMemory memory;

    @Inject
    RedisGateway redis;

    @Inject
    Embedder embedder;

    @Inject
    MemoryConfig config;

    @BeforeEach
    void empty() {
        memory.forgetAll(DEFAULT);
    }

    static List<String> ids(JsonPath recall) {
        return recall.getList("hits.id", String.class);
    }

    static JsonPath recall(String query, Map<String, ?> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("query", query);
        return call("recall", body);
    }

    @Test
    void rememberThenRecallByMeaning() {
        String id = remember(Map.of("text", "The user's dog is a beagle called Rex.", "tags", List.of("pets")));
        remember(Map.of("text", "The quarterly report is due on Friday."));
        JsonPath hits = recall("What breed is my dog?", Map.of("k", 1));
        assertThat(ids(hits)).containsExactly(id);
        assertThat(hits.getString("hits[0].text")).isEqualTo("The user's dog is a beagle called Rex.");
        assertThat(hits.getFloat("hits[0].score")).isBetween(0.4f, 1f);
        assertThat(hits.getList("hits[0].tags")).containsExactly("pets");
        assertThat(hits.getString("hits[0].source")).isEqualTo("user");
        System.out.println("Long-term memory index: " + memory.indexName());
    }

    @Test
    void filtersByUserSessionTagsAndTime() throws InterruptedException {
        String alice = remember(Map.of(
                "text", "Alice likes green tea in the morning.", "userId", "alice", "tags", List.of("food", "drinks")));
        String bob = remember(Map.of(
                "text",
                "Bob likes black coffee in the morning.",
                "userId",
                "bob",
                "sessionId",
                "s-1",
                "tags",
                List.of("drinks")));
        long between = System.currentTimeMillis();
        Thread.sleep(5);
        String late = remember(Map.of("text", "Carol likes hot chocolate in the morning.", "userId", "carol"));
        String q = "What does someone drink in the morning?";
        Map<String, Object> loose = Map.of("k", 10, "minScore", -1);

        assertThat(ids(recall(q, loose))).containsExactlyInAnyOrder(alice, bob, late);
        assertThat(ids(recall(q, with(loose, Map.of("userId", "alice"))))).containsExactly(alice);
        assertThat(ids(recall(q, with(loose, Map.of("sessionId", "s-1"))))).containsExactly(bob);
        assertThat(ids(recall(q, with(loose, Map.of("tags", List.of("drinks"))))))
                .containsExactlyInAnyOrder(alice, bob);
        assertThat(ids(recall(q, with(loose, Map.of("tags", List.of("drinks", "food"))))))
                .containsExactly(alice);
        assertThat(ids(recall(q, with(loose, Map.of("from", between + 1))))).containsExactly(late);
        assertThat(ids(recall(q, with(loose, Map.of("to", between))))).containsExactlyInAnyOrder(alice, bob);
        assertThat(ids(recall(q, with(loose, Map.of("userId", "nobody"))))).isEmpty();
    }

    static Map<String, Object> with(Map<String, Object> base, Map<String, Object> filters) {
        Map<String, Object> out = new java.util.HashMap<>(base);
        out.put("filters", filters);
        return out;
    }

    @Test
    void minScoreDropsWeakMatchesAndKCaps() {
        String tea = remember(Map.of("text", "Alice likes green tea in the morning."));
        remember(Map.of("text", "The server room temperature must stay below 24 degrees."));
        remember(Map.of("text", "The hiking trail to the lake takes about four hours."));
        JsonPath all = recall("Which hot drink does Alice enjoy?", Map.of("k", 10, "minScore", -1));
        assertThat(all.getList("hits")).hasSize(3);
        List<Float> scores = all.getList("hits.score", Float.class);
        assertThat(scores).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(ids(all)).first().isEqualTo(tea);
        // a bar between the best and the second score (scores are the embedding model's own)
        float between = (scores.get(0) + scores.get(1)) / 2;
        assertThat(ids(recall("Which hot drink does Alice enjoy?", Map.of("k", 10, "minScore", between))))
                .containsExactly(tea);
        assertThat(ids(recall("Which hot drink does Alice enjoy?", Map.of("k", 10, "minScore", 0.99))))
                .isEmpty();
        assertThat(ids(recall("Which hot drink does Alice enjoy?", Map.of("k", 2, "minScore", -1))))
                .hasSize(2);
    }

    @Test
    void aParaphraseUpdatesInsteadOfAddingAndDifferentFactsStaySeparate() {
        JsonPath first = call("remember", Map.of("text", "Alice works as a nurse in Lyon.", "tags", List.of("job")));
        JsonPath again =
                call("remember", Map.of("text", "Alice is a nurse working in Lyon.", "tags", List.of("people")));
        assertThat(first.getBoolean("deduplicated")).isFalse();
        assertThat(again.getBoolean("deduplicated")).isTrue();
        assertThat(again.getString("id")).isEqualTo(first.getString("id"));
        JsonPath colour = call("remember", Map.of("text", "My favourite colour is blue."));
        JsonPath colourAgain = call("remember", Map.of("text", "Blue is my favourite colour."));
        JsonPath other = call("remember", Map.of("text", "My favourite colour is green."));
        assertThat(colourAgain.getBoolean("deduplicated")).isTrue();
        assertThat(other.getBoolean("deduplicated")).isFalse();

        JsonPath hits = recall("Where does Alice work?", Map.of("k", 10, "minScore", -1));
        assertThat(hits.getList("hits")).hasSize(3); // nurse, blue, green: no near-copies
        assertThat(hits.getString("hits[0].text")).isEqualTo("Alice is a nurse working in Lyon.");
        assertThat(hits.getList("hits[0].tags")).containsExactly("job", "people");
    }

    @Test
    void dedupIsPerScope() {
        Remembered a =
                memory.remember(DEFAULT, new NewMemory("Alice works as a nurse in Lyon.", null, "u1", null, null));
        Remembered b =
                memory.remember(DEFAULT, new NewMemory("Alice works as a nurse in Lyon.", null, "u2", null, null));
        Remembered c =
                memory.remember(DEFAULT, new NewMemory("Alice works as a nurse in Lyon.", null, "u1", "s1", null));
        Remembered d =
                memory.remember(DEFAULT, new NewMemory("Alice works as a nurse in Lyon.", null, "u1", null, null));
        assertThat(List.of(a.id(), b.id(), c.id())).doesNotHaveDuplicates();
        assertThat(d).isEqualTo(new Remembered(a.id(), true));
    }

    @Test
    void forgetById() {
        String id = remember(Map.of("text", "The garden shed key hangs behind the back door."));
        String other = remember(Map.of("text", "The printer on the second floor is out of toner."));
        assertThat(call("forget", Map.of("id", id)).getLong("forgotten")).isEqualTo(1);
        assertThat(call("forget", Map.of("id", id)).getLong("forgotten")).isZero();
        assertThat(ids(recall("Where is the shed key?", Map.of("k", 10, "minScore", -1))))
                .containsExactly(other);
    }

    @Test
    void forgetBySessionAndByUser() {
        String s1 =
                remember(Map.of("text", "Paul drives an old red Volvo estate.", "sessionId", "trip", "userId", "paul"));
        String s2 = remember(Map.of("text", "Paul's car needs new winter tyres.", "sessionId", "trip"));
        String u = remember(Map.of("text", "Paul is learning to play the cello.", "userId", "paul"));
        String keep = remember(Map.of("text", "Lena is learning to play the cello.", "userId", "lena"));

        assertThat(call("forget", Map.of("sessionId", "trip")).getLong("forgotten"))
                .isEqualTo(2);
        assertThat(ids(recall("Paul", Map.of("k", 10, "minScore", -1))))
                .containsExactlyInAnyOrder(u, keep)
                .doesNotContain(s1, s2);
        assertThat(call("forget", Map.of("userId", "paul")).getLong("forgotten"))
                .isEqualTo(1);
        assertThat(ids(recall("Paul", Map.of("k", 10, "minScore", -1)))).containsExactly(keep);
        assertThat(ids(recall("Paul", Map.of("k", 10, "minScore", -1, "filters", Map.of("userId", "paul")))))
                .isEmpty();
    }

    @Test
    void forgetAllEmptiesTheTenantAndLeavesNoKeysButTheVersion() {
        for (int i = 0; i < 5; i++) {
            remember(Map.of(
                    "text",
                    "Fact number " + i + " about topic " + (char) ('A' + i),
                    "userId",
                    "u" + i,
                    "sessionId",
                    "s" + i));
        }
        assertThat(call("forget", Map.of("all", true)).getLong("forgotten")).isEqualTo(5);
        assertThat(ids(recall("Fact about a topic", Map.of("k", 10, "minScore", -1))))
                .isEmpty();
        var keys = redis.execute(io.vertx.redis.client.Command.KEYS, "engram:default:ltm:*");
        List<String> left = new java.util.ArrayList<>();
        keys.forEach(k -> left.add(k.toString()));
        assertThat(left).containsOnly("engram:default:ltm:{default}:version");
    }

    @Test
    void tenantsAreIsolated() {
        memory.forgetAll("a");
        memory.forgetAll("b");
        Remembered secret = memory.remember("a", NewMemory.of("Tenant A's launch code is 1234."));
        assertThat(memory.recall("a", new RecallQuery("What is the launch code?", 5, null, -1f)))
                .extracting(RecallHit::id)
                .containsExactly(secret.id());
        assertThat(memory.recall("b", new RecallQuery("What is the launch code?", 50, null, -1f)))
                .isEmpty();
        assertThat(memory.forgetId("b", secret.id())).isZero();
        assertThat(memory.forgetAll("b")).isZero();
        assertThat(memory.recall("a", new RecallQuery("What is the launch code?", 5, null, -1f)))
                .hasSize(1);
        // the same text in b is a new memory of b, not a dedup hit on a's
        assertThat(memory.remember("b", NewMemory.of("Tenant A's launch code is 1234."))
                        .deduplicated())
                .isFalse();
    }

    @Test
    void aWarmInstanceSeesWhatAnotherInstanceWrote() {
        // "Another instance": its own store, index choice and cache, on the same Redis.
        LongTermMemory other = new LongTermMemory(redis, embedder, new VectorIndexes(redis, config, embedder), config);
        RecallQuery q = new RecallQuery("Which colour does Noah like?", 5, null, 0.3f);
        assertThat(memory.recall(DEFAULT, q)).isEmpty(); // warms this instance's cache

        Remembered written = other.remember(DEFAULT, NewMemory.of("Noah's favourite colour is orange."));
        assertThat(memory.recall(DEFAULT, q)).extracting(RecallHit::id).containsExactly(written.id());

        other.forgetId(DEFAULT, written.id());
        assertThat(memory.recall(DEFAULT, q)).isEmpty();

        Remembered again = other.remember(DEFAULT, NewMemory.of("Noah's favourite colour is purple."));
        assertThat(other.recall(DEFAULT, q)).extracting(RecallHit::id).containsExactly(again.id());
        assertThat(memory.recall(DEFAULT, q)).extracting(RecallHit::id).containsExactly(again.id());
    }

    @Test
    void aWarmCacheIsNotFooledByARedisThatLostItsData() {
        String tenant = "epoch";
        LongTermMemory other = new LongTermMemory(redis, embedder, new VectorIndexes(redis, config, embedder), config);
        RecallQuery q = new RecallQuery("What is the boat called?", 5, null, 0.3f);
        memory.forgetAll(tenant); // change 1
        Remembered before = memory.remember(tenant, NewMemory.of("The boat is called Aurora.")); // change 2
        assertThat(memory.recall(tenant, q)).extracting(RecallHit::id).containsExactly(before.id()); // warm

        // Redis loses the tenant (a flush, a replaced server), version included; then as many changes again.
        redis.execute(io.vertx.redis.client.Command.KEYS, "engram:epoch:ltm:*")
                .forEach(key -> redis.execute(io.vertx.redis.client.Command.DEL, key.toString()));
        other.forgetAll(tenant); // change 1 again
        Remembered after = other.remember(tenant, NewMemory.of("The boat is called Borealis.")); // change 2 again

        assertThat(memory.recall(tenant, q)).extracting(RecallHit::id).containsExactly(after.id());
    }

    @Test
    void foldedStyleConversationMemoriesCarryTheirSource() {
        memory.rememberAll(
                DEFAULT,
                List.of(new NewMemory(
                        "user: where is the shed key?\nassistant: behind the back door",
                        null,
                        null,
                        "chat-1",
                        dev.engram.memory.longterm.MemorySource.conversation)));
        List<RecallHit> hits = memory.recall(
                DEFAULT, new RecallQuery("shed key", 1, new RecallFilter(null, "chat-1", null, null, null), null));
        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.source().name()).isEqualTo("conversation");
            assertThat(h.sessionId()).isEqualTo("chat-1");
        });
    }
}
