package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.MemorySource;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.Promoted;
import dev.engram.memory.longterm.RecallFilter;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.longterm.Remembered;
import dev.engram.memory.promotion.PendingPromotions;
import dev.engram.memory.promotion.Promotion;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.tasks.extraction.ConversationQueue;
import dev.engram.tasks.extraction.ConversationTurn;
import dev.engram.tenant.Tenant;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queued conversations become memories by each strategy on stories260K (its text is nonsense, the JSON
 * is valid and the records typed), repeats merge, and the queue keeps its counts.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(MemoryPromotionTest.QuickRetry.class)
class MemoryPromotionTest {
    static final String TENANT = Tenant.DEFAULT.id();
    static final List<ConversationTurn> CONVERSATION = List.of(
            new ConversationTurn("user", "Lily likes red balls and cats."),
            new ConversationTurn("assistant", "Lily played with her red ball in the park."),
            new ConversationTurn("user", "Tom went to the sea on Sunday."),
            new ConversationTurn("assistant", "Tom saw a big fish."));

    public static class QuickRetry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "engram.memory.promotion.retry-backoff",
                    "50ms",
                    "engram.memory.promotion.max-attempts",
                    "8",
                    "engram.memory.window-tokens",
                    "40",
                    "engram.memory.summary-tokens",
                    "16");
        }
    }

    @Inject
    ConversationQueue conversations;

    @Inject
    PromotionQueue queue;

    @Inject
    LongTermMemory memory;

    @BeforeEach
    void empty() {
        memory.forgetAll(TENANT);
    }

    /** Calls memory-promote until the session has nothing pending; answers the summed counts. */
    static int[] drainAll(PromotionQueue queue, String sessionId) {
        int[] sum = new int[4];
        for (int call = 0; call < 200 && queue.pending(TENANT, sessionId).pending() > 0; call++) {
            JsonPath d = given().contentType(ContentType.JSON)
                    .body(Map.of("max", 4))
                    .post("/memory-promote")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            sum[0] += d.getInt("promoted");
            sum[1] += d.getInt("again");
            sum[2] += d.getInt("retried");
            sum[3] += d.getInt("deadLettered");
            if (d.getInt("promoted") + d.getInt("retried") + d.getInt("deadLettered") == 0) {
                sleep(60); // a failed entry waits out its backoff
            }
        }
        assertThat(queue.pending(TENANT, sessionId).pending())
                .as("the queue was drained")
                .isZero();
        return sum;
    }

    private List<RecallHit> ofSession(String sessionId) {
        return memory.recall(
                TENANT, new RecallQuery("a story", 50, new RecallFilter(null, sessionId, null, null, null), -1f));
    }

    private List<RecallHit> ofUser(String userId) {
        return memory.recall(
                TENANT, new RecallQuery("a story", 50, new RecallFilter(userId, null, null, null, null), -1f));
    }

    @Test
    void verbatimStoresEachExchangeAndARepeatIsDropped() {
        conversations.enqueue(TENANT, CONVERSATION, "verb", null, "verbatim", null);
        assertThat(queue.pending(TENANT, "verb")).isEqualTo(new PendingPromotions(1, 0));
        assertThat(drainAll(queue, "verb")[0]).isEqualTo(1);
        List<RecallHit> first = ofSession("verb");
        assertThat(first).hasSize(2).allSatisfy(h -> {
            assertThat(h.tags()).containsExactly("kind:exchange");
            assertThat(h.source()).isEqualTo(MemorySource.conversation);
            assertThat(h.text()).startsWith("user: ").contains("\nassistant: ");
        });

        conversations.enqueue(TENANT, CONVERSATION, "verb", null, "verbatim", null);
        drainAll(queue, "verb");
        List<RecallHit> again = ofSession("verb");
        assertThat(again)
                .extracting(RecallHit::id)
                .containsExactlyInAnyOrderElementsOf(
                        first.stream().map(RecallHit::id).toList());
        assertThat(again).allSatisfy(h -> assertThat(h.history()).isNull());
    }

    @Test
    void summaryWritesOneTypedMemoryPerSpan() {
        conversations.enqueue(TENANT, CONVERSATION, "sum", null, "summary", null);
        int[] drained = drainAll(queue, "sum");
        assertThat(drained[3]).as("dead-lettered").isZero();
        List<RecallHit> hits = ofSession("sum");
        assertThat(hits).hasSize(1);
        assertThat(hits.getFirst().tags())
                .contains("kind:summary")
                .allMatch(t -> t.equals("kind:summary") || t.startsWith("topic:"));
        assertThat(hits.getFirst().text()).isNotBlank();
    }

    @Test
    void discreteWritesTypedFactsOfTheUser() {
        conversations.enqueue(TENANT, CONVERSATION, "facts", "lily", "discrete", null);
        assertThat(drainAll(queue, "facts")[3]).isZero();
        // facts about a known user are scoped to the user, not the session
        assertThat(ofSession("facts")).isEmpty();
        List<RecallHit> facts = ofUser("lily");
        assertThat(facts).isNotEmpty().hasSizeLessThanOrEqualTo(3).allSatisfy(h -> {
            assertThat(h.tags().stream().filter(t -> t.startsWith("kind:")).toList())
                    .singleElement()
                    .isIn("kind:semantic", "kind:preference", "kind:episodic");
            assertThat(h.tags())
                    .allMatch(t -> t.startsWith("kind:") || t.startsWith("topic:") || t.startsWith("entity:"));
            assertThat(h.userId()).isEqualTo("lily");
            assertThat(h.sessionId()).isNull();
        });
    }

    @Test
    void preferencesAndCustomWriteOnlyTheirTypes() {
        conversations.enqueue(TENANT, CONVERSATION, "prefs", "tom", "preferences", null);
        conversations.enqueue(TENANT, CONVERSATION, "prefs", "ann", "custom", "List what the user says about animals.");
        assertThat(queue.pending(TENANT, "prefs").pending()).isEqualTo(2);
        assertThat(drainAll(queue, "prefs")[3]).isZero();
        assertThat(ofUser("tom"))
                .isNotEmpty()
                .allSatisfy(h -> assertThat(h.tags()).contains("kind:preference"));
        assertThat(ofUser("ann"))
                .isNotEmpty()
                .allSatisfy(h -> assertThat(h.tags().stream()
                                .filter(t -> t.startsWith("kind:"))
                                .toList())
                        .singleElement()
                        .isIn("kind:semantic", "kind:preference", "kind:episodic"));
    }

    @Test
    void topicsAndEntitiesAreRecallFilters() {
        conversations.enqueue(TENANT, CONVERSATION, "tags", "zed", "discrete", null);
        drainAll(queue, "tags");
        List<RecallHit> facts = ofUser("zed");
        String label = facts.stream()
                .flatMap(h -> h.tags().stream())
                .filter(t -> !t.startsWith("kind:"))
                .findFirst()
                .orElse(facts.getFirst().tags().getFirst());
        List<RecallHit> filtered = memory.recall(
                TENANT, new RecallQuery("a story", 50, new RecallFilter("zed", null, List.of(label), null, null), -1f));
        assertThat(filtered).isNotEmpty().allSatisfy(h -> assertThat(h.tags()).contains(label));
        assertThat(filtered.size()).isLessThanOrEqualTo(facts.size());
    }

    @Test
    void aCloseNewFactUpdatesTheOldOneAndKeepsItsTextAsHistory() {
        Remembered first = memory.remember(
                TENANT, new NewMemory("The team meeting is every Monday at 10.", null, "max", null, MemorySource.user));
        Remembered second = memory.remember(
                TENANT, new NewMemory("The team meeting is every Monday at 11.", null, "max", null, MemorySource.user));
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.deduplicated()).isTrue();
        Remembered repeat = memory.remember(
                TENANT, new NewMemory("The team meeting is every Monday at 11.", null, "max", null, MemorySource.user));
        assertThat(repeat.id()).isEqualTo(first.id());
        List<RecallHit> hits = ofUser("max");
        assertThat(hits).singleElement().satisfies(h -> {
            assertThat(h.text()).isEqualTo("The team meeting is every Monday at 11.");
            assertThat(h.history()).containsExactly("The team meeting is every Monday at 10.");
        });
    }

    @Test
    void aSessionsOwnStrategyAppliesToItsFolds() {
        for (String prompt : List.of("Once upon a time", "The dog", "Lily wanted to", "Tom had a")) {
            Map<String, Object> body =
                    new java.util.HashMap<>(Map.of("sessionId", "own", "prompt", prompt, "maxTokens", 16));
            if (prompt.equals("The dog")) {
                body.put("promotion", Map.of("strategy", "summary")); // from this request on
            }
            given().contentType(ContentType.JSON)
                    .body(body)
                    .post("/generate")
                    .then()
                    .statusCode(200);
        }
        assertThat(queue.sessionStrategy(TENANT, "own").strategy()).isEqualTo("summary");
        long folds = queue.pending(TENANT, "own").pending();
        assertThat(folds).isPositive();
        drainAll(queue, "own");
        List<RecallHit> hits = ofSession("own");
        assertThat(hits)
                .isNotEmpty()
                .hasSizeLessThanOrEqualTo((int) folds)
                .allSatisfy(h -> assertThat(h.tags()).contains("kind:summary"));

        given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "x", "promotion", Map.of("strategy", "summary")))
                .post("/generate")
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.is("invalid_promotion"));
        given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "x", "sessionId", "own", "promotion", Map.of("strategy", "custom")))
                .post("/generate")
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.is("invalid_strategy"));
        given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "x", "sessionId", "own", "promotion", Map.of()))
                .post("/generate")
                .then()
                .statusCode(400)
                .body("error", org.hamcrest.Matchers.is("missing_field"));
    }

    /** A worker thought dead commits late: the entry was done by another, so its memories are not written again. */
    @Test
    void aSecondCommitOfAnEntryWritesNothing() {
        String entry = conversations.enqueue(TENANT, CONVERSATION, "twice", null, "verbatim", null);
        Promotion claimed = queue.claim(TENANT, "slow-worker", 10).stream()
                .filter(p -> p.entryId().equals(entry))
                .findFirst()
                .orElseThrow();
        assertThat(claimed.attempt()).isEqualTo(1);
        Promoted first = memory.rememberOnce(
                TENANT,
                List.of(new NewMemory(
                        "Lily keeps her red ball under the bed.",
                        List.of("kind:semantic"),
                        null,
                        "twice",
                        MemorySource.conversation)),
                queue.commit(TENANT, claimed));
        Promoted late = memory.rememberOnce(
                TENANT,
                List.of(new NewMemory(
                        "Tom keeps his kite in the shed.",
                        List.of("kind:semantic"),
                        null,
                        "twice",
                        MemorySource.conversation)),
                queue.commit(TENANT, claimed));
        assertThat(first).isEqualTo(new Promoted(1, 0, 0, false));
        assertThat(late.again()).isTrue();
        assertThat(ofSession("twice"))
                .extracting(RecallHit::text)
                .containsExactly("Lily keeps her red ball under the bed.");
        assertThat(queue.pending(TENANT, "twice")).isEqualTo(new PendingPromotions(0, 0));
        assertThat(queue.claim(TENANT, "another-worker", 10))
                .extracting(Promotion::entryId)
                .doesNotContain(entry);
    }

    @Test
    void badConversationsAreRefusedByName() {
        for (Object[] bad : new Object[][] {
            {List.of(new ConversationTurn("robot", "hi")), "invalid_role"},
            {List.of(new ConversationTurn("user", " ")), "empty_text"},
            {List.of(), "out_of_range"}
        }) {
            @SuppressWarnings("unchecked")
            List<ConversationTurn> turns = (List<ConversationTurn>) bad[0];
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> conversations.enqueue(TENANT, turns, "x", null, null, null))
                    .hasFieldOrPropertyWithValue("code", bad[1]);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> conversations.enqueue(TENANT, CONVERSATION, "x", null, "custom", null))
                .hasFieldOrPropertyWithValue("code", "invalid_strategy");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> conversations.enqueue(TENANT, CONVERSATION, "x", null, "gist", null))
                .hasFieldOrPropertyWithValue("code", "invalid_strategy");
        assertThat(queue.pending(TENANT, "x")).isEqualTo(new PendingPromotions(0, 0));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
