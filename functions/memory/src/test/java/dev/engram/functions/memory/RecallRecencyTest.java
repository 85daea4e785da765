package dev.engram.functions.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.MemorySource;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.RecallFilter;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.longterm.Remembered;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a recency half-life, of two close memories the newer ranks first; {@code score} stays the similarity. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(RecallRecencyTest.Recent.class)
class RecallRecencyTest {
    public static class Recent implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("engram.memory.recency-half-life", "1s", "engram.memory.recency-weight", "0.5");
        }
    }

    @Inject
    LongTermMemory memory;

    @Test
    void aNewerMemoryRanksAboveAnOlderCloserOne() throws InterruptedException {
        memory.forgetAll("default");
        Remembered older = memory.remember(
                "default", new NewMemory("Ada has a grey cat called Smoke.", null, "ada", null, MemorySource.user));
        Thread.sleep(3000);
        Remembered newer = memory.remember(
                "default", new NewMemory("Bo has a black dog called Rex.", null, "ada", null, MemorySource.user));
        List<RecallHit> hits = memory.recall(
                "default",
                new RecallQuery("Ada's grey cat Smoke", 2, new RecallFilter("ada", null, null, null, null), -1f));
        assertThat(hits).extracting(RecallHit::id).containsExactly(newer.id(), older.id());
        // by similarity alone the older one is closer to the query
        assertThat(hits.get(1).score()).isGreaterThan(hits.get(0).score());
    }
}
