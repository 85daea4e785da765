package dev.engram.functions.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.RecallFilter;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.promotion.DeadLetter;
import dev.engram.memory.promotion.PendingPromotions;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.tasks.extraction.ConversationQueue;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An extraction that cannot succeed (4 tokens never finish a JSON document) is tried max-attempts
 * times with backoff, then kept in the tenant's dead letters with its turns and error: never lost,
 * never half-written.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(PromotionDeadLetterTest.HopelessExtraction.class)
class PromotionDeadLetterTest {
    public static class HopelessExtraction implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "engram.memory.promotion.extraction-tokens",
                    "4",
                    "engram.memory.promotion.max-attempts",
                    "3",
                    "engram.memory.promotion.retry-backoff",
                    "50ms");
        }
    }

    @Inject
    ConversationQueue conversations;

    @Inject
    PromotionQueue queue;

    @Inject
    LongTermMemory memory;

    @Test
    void aFailingExtractionIsRetriedThenDeadLettered() {
        String entry = conversations.enqueue(
                MemoryPromotionTest.TENANT, MemoryPromotionTest.CONVERSATION, "doomed", null, "discrete", null);
        int[] drained = MemoryPromotionTest.drainAll(queue, "doomed");
        assertThat(drained[0]).as("promoted").isZero();
        assertThat(drained[2]).as("retried").isEqualTo(2);
        assertThat(drained[3]).as("dead-lettered").isEqualTo(1);
        assertThat(queue.pending(MemoryPromotionTest.TENANT, "doomed")).isEqualTo(new PendingPromotions(0, 1));

        List<DeadLetter> dead = queue.deadLetters(MemoryPromotionTest.TENANT, 10);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.entryId()).isEqualTo(entry);
            assertThat(d.attempts()).isEqualTo(3);
            assertThat(d.sessionId()).isEqualTo("doomed");
            assertThat(d.strategy()).isEqualTo("discrete");
            assertThat(d.error()).contains("not complete within 4 tokens");
            assertThat(d.turns()).contains("Lily likes red balls and cats.");
        });
        assertThat(memory.recall(
                        MemoryPromotionTest.TENANT,
                        new RecallQuery("a story", 50, new RecallFilter(null, "doomed", null, null, null), -1f)))
                .isEmpty();

        // verbatim needs no model: it still goes through under the same settings
        conversations.enqueue(
                MemoryPromotionTest.TENANT, MemoryPromotionTest.CONVERSATION, "plain", null, "verbatim", null);
        assertThat(MemoryPromotionTest.drainAll(queue, "plain")[0]).isEqualTo(1);
    }
}
