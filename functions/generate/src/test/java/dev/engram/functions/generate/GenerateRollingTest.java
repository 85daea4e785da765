package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.Cancellation;
import dev.engram.inference.models.Models;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.MemorySource;
import dev.engram.memory.longterm.RecallFilter;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.promotion.PendingPromotions;
import dev.engram.memory.promotion.PromotionKeys;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.memory.session.Handoff;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import dev.engram.redis.RedisGateway;
import dev.engram.tasks.conversation.Conversations;
import dev.engram.tasks.conversation.MemoryReport;
import dev.engram.tasks.extraction.FoldedTurnsToMemory;
import dev.engram.tenant.Tenant;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a small window, old turns are folded into a summary within the request, and reach the hook once;
 * they are queued for long-term memory and become memories when the worker drains the queue.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(GenerateRollingTest.SmallWindow.class)
class GenerateRollingTest {
    static final int WINDOW = 60;

    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "engram.memory.window-tokens", Integer.toString(WINDOW), "engram.memory.summary-tokens", "24");
        }
    }

    @Inject
    SessionStore sessions;

    @Inject
    RecordingFoldListener folds;

    @Inject
    LongTermMemory memory;

    @Inject
    PromotionQueue promotions;

    @Inject
    Conversations conversations;

    @Inject
    FoldedTurnsToMemory handoffs;

    @Inject
    Models models;

    @Inject
    RedisGateway redis;

    @Test
    void theWindowRollsIntoTheSummary() {
        List<String> prompts =
                List.of("Once upon a time", "The dog", "Lily wanted to", "Tom had a", "The sun was", "One day");
        List<String> said = new ArrayList<>();
        boolean sawSummarized = false;
        for (String prompt : prompts) {
            JsonPath answer = GenerateSamplingTest.generate("sessionId", "rolling", "prompt", prompt, "maxTokens", 16);
            said.add(prompt);
            said.add(answer.getString("text"));
            sawSummarized |= answer.getBoolean("memory.summarized");
            assertThat(answer.getInt("memory.turnTokens")).isLessThanOrEqualTo(WINDOW);
        }
        assertThat(sawSummarized).isTrue();

        Session session = sessions.peek(Tenant.DEFAULT.id(), "rolling");
        assertThat(session.summary()).isNotBlank();
        assertThat(session.turnTokens()).isLessThanOrEqualTo(WINDOW);
        assertThat(session.turns().size()).isLessThan(said.size());

        // Every turn said is either still in the window or was handed to the hook, exactly once, in order.
        List<Turn> folded = folds.folded("rolling");
        assertThat(new HashSet<>(folded)).hasSameSizeAs(folded);
        List<String> accounted = new ArrayList<>(folded.stream().map(Turn::text).toList());
        accounted.addAll(session.turns().stream().map(Turn::text).toList());
        assertThat(accounted).containsExactlyElementsOf(said);
        assertThat(session.foldedTurns()).isEqualTo(folded.size());

        // The summary is what the next prompt carries.
        JsonPath next = GenerateSamplingTest.generate(
                "sessionId", "rolling", "prompt", "The end", "maxTokens", 4, "echo", true);
        assertThat(next.getString("prompt")).contains(session.summary());

        // The folds only queued the turns: nothing is in long-term memory until a worker drains the queue.
        RecallFilter ofSession = new RecallFilter(null, "rolling", null, null, null);
        assertThat(memory.recall(Tenant.DEFAULT.id(), new RecallQuery("a story", 50, ofSession, -1f)))
                .isEmpty();
        PendingPromotions pending = promotions.pending(Tenant.DEFAULT.id(), "rolling");
        assertThat(pending.pending()).isPositive();
        assertThat(pending.failed()).isZero();

        JsonPath drained = given().contentType(ContentType.JSON)
                .body(Map.of())
                .post("/memory-promote")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(drained.getInt("promoted")).isGreaterThanOrEqualTo((int) pending.pending());
        assertThat(promotions.pending(Tenant.DEFAULT.id(), "rolling")).isEqualTo(new PendingPromotions(0, 0));

        // The folded turns became long-term `conversation` memories of the session, one per exchange
        // (near-identical exchanges of one session are merged by dedup, so there may be fewer).
        List<RecallHit> remembered = memory.recall(Tenant.DEFAULT.id(), new RecallQuery("a story", 50, ofSession, -1f));
        assertThat(remembered).isNotEmpty().hasSizeLessThanOrEqualTo(folded.size() / 2 + 1);
        for (RecallHit hit : remembered) {
            assertThat(hit.source()).isEqualTo(MemorySource.conversation);
            assertThat(hit.tags()).contains("kind:exchange");
            assertThat(hit.text()).startsWith("user: ").contains("\nassistant: ");
            assertThat(prompts).anyMatch(p -> hit.text().startsWith("user: " + p + "\n"));
        }
    }

    /**
     * The queue lives on the tenant's slot, the session on its own: queuing a fold is a second write that
     * can fail while the fold itself succeeded. Here the queue's key holds a string (every XADD on it fails
     * with WRONGTYPE, a real Redis error); two folds wait on the session's hand-off list, the session's next
     * use queues both once the key is usable, and a repeated hand-off is not queued again.
     */
    @Test
    void foldsThatCannotBeQueuedWaitOnTheSessionAndAreQueuedOnceOnItsNextUse() {
        String tenant = "handoff";
        String sessionId = "broken-queue";
        String stream = PromotionKeys.of(tenant).stream();
        redis.execute(Command.SET, stream, "not a stream");
        int folds = 0;
        for (int i = 0; folds < 2; i++) {
            assertThat(i).as("two folds within a few exchanges").isLessThan(20);
            Session session = conversations.open(tenant, sessionId);
            MemoryReport report = conversations.record(
                    session,
                    "Once upon a time " + i,
                    "there was a little dog named Max " + i,
                    models.get(),
                    new Cancellation());
            folds += report.summarized() ? 1 : 0;
        }
        List<Handoff> waiting = sessions.handoffs(tenant, sessionId);
        assertThat(waiting).hasSize(2);
        assertThat(sessions.peek(tenant, sessionId).handoffs()).isEqualTo(2);
        assertThat(promotions.pending(tenant, sessionId).pending())
                .as("none queued")
                .isZero();
        assertThat(waiting.get(1).seq())
                .isEqualTo(waiting.get(0).seq() + waiting.get(0).turns().size());

        redis.execute(Command.DEL, stream);
        conversations.open(tenant, sessionId);
        assertThat(sessions.peek(tenant, sessionId).handoffs()).isZero();
        assertThat(redis.execute(Command.XLEN, stream).toLong()).isEqualTo(2);
        assertThat(promotions.pending(tenant, sessionId).pending()).isEqualTo(2);

        // A hand-off tried again after it got through (its removal lost, or two requests at once) is not queued twice.
        handoffs.onFolded(tenant, sessionId, waiting.getFirst());
        conversations.open(tenant, sessionId);
        assertThat(redis.execute(Command.XLEN, stream).toLong()).isEqualTo(2);
        Response entries = redis.execute(Command.XRANGE, stream, "-", "+");
        for (int e = 0; e < 2; e++) {
            String turns = fields(entries.get(e).get(1)).get("t");
            for (Turn turn : waiting.get(e).turns()) {
                assertThat(turns).contains(turn.text());
            }
        }
    }

    private static Map<String, String> fields(Response pairs) {
        Map<String, String> fields = new java.util.HashMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            fields.put(pairs.get(i).toString(), pairs.get(i + 1).toString());
        }
        return fields;
    }
}
