package dev.engram.functions.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.LtmKeys;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.RecallFilter;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.longterm.Remembered;
import dev.engram.memory.longterm.ScanIndex;
import dev.engram.memory.longterm.VectorIndex;
import dev.engram.memory.longterm.VectorIndexes;
import dev.engram.redis.RedisGateway;
import dev.engram.testing.RedisTestResource;
import dev.engram.testing.UnitVectors;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.redis.client.Command;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scan index's packed layout on a real Redis: slots in 1024-row segments, each with its own
 * version. Another instance's write or forget makes a warm instance re-read that one segment (counted
 * with Redis's own per-command statistics), forgotten slots are reused, and a cold instance sees the
 * same as a warm one. Synthetic unit vectors are imported (no embedding) so a tenant spans two segments
 * in a second.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class LongTermSegmentsTest {
    @Inject
    LongTermMemory memory;

    @Inject
    VectorIndexes indexes;

    @Inject
    RedisGateway redis;

    @Inject
    Embedder embedder;

    @Inject
    MemoryConfig config;

    @Test
    void aWarmInstanceRereadsOnlyTheSegmentAnotherInstanceChanged() {
        String tenant = "segments";
        LtmKeys keys = LtmKeys.of(tenant);
        memory.forgetAll(tenant);
        SplittableRandom random = new SplittableRandom(11);
        List<float[]> vectors = new ArrayList<>();
        List<NewMemory> texts = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            vectors.add(unit(random));
            texts.add(new NewMemory("synthetic memory " + i, List.of("t" + i % 3), null, null, null));
        }
        List<String> ids = memory.importAll(tenant, texts, vectors);
        assertThat(redis.execute(Command.HGET, keys.version(), "rows").toLong()).isEqualTo(1500);
        assertThat(redis.execute(Command.EXISTS, keys.segment(0), keys.segment(1), keys.segment(2))
                        .toLong())
                .isEqualTo(2);

        VectorIndex warm = indexes.get();
        assertThat(top(warm, keys, vectors.get(1200)))
                .isEqualTo(ids.get(1200)); // warms the cache (reads both segments)
        assertThat(top(warm, keys, vectors.get(7))).isEqualTo(ids.get(7));

        // "Another instance" forgets a memory of segment 1: the warm one re-reads segment 1 only.
        LongTermMemory other = new LongTermMemory(redis, embedder, new VectorIndexes(redis, config, embedder), config);
        String slot = redis.execute(Command.HGET, keys.slots(), ids.get(1200)).toString();
        assertThat(other.forgetId(tenant, ids.get(1200))).isEqualTo(1);
        long gets = calls("get");
        assertThat(top(warm, keys, vectors.get(1200))).isNotEqualTo(ids.get(1200));
        assertThat(calls("get") - gets).isEqualTo(1);

        // its next new memory takes the freed slot; the warm instance sees it, again re-reading one segment
        float[] fresh = unit(random);
        String reused = other.importAll(tenant, List.of(NewMemory.of("the newcomer")), List.of(fresh))
                .getFirst();
        assertThat(redis.execute(Command.HGET, keys.slots(), reused).toString()).isEqualTo(slot);
        assertThat(redis.execute(Command.HGET, keys.version(), "rows").toLong()).isEqualTo(1500);
        gets = calls("get");
        assertThat(top(warm, keys, fresh)).isEqualTo(reused);
        assertThat(calls("get") - gets).isEqualTo(1);
        assertThat(top(warm, keys, vectors.get(7))).isEqualTo(ids.get(7)); // segment 0 kept from the cache

        // filters still apply per row; a cold instance (reads every segment) agrees with the warm one
        RecallFilter t1 = new RecallFilter(null, null, List.of("t1"), null, null);
        List<VectorIndex.Scored> warmHits = warm.search(keys, vectors.get(1), t1, 10, -1f);
        assertThat(warmHits.getFirst().id()).isEqualTo(ids.get(1));
        assertThat(warmHits).extracting(VectorIndex.Scored::id).allMatch(id -> ids.indexOf(id) % 3 == 1);
        gets = calls("get");
        List<VectorIndex.Scored> coldHits =
                new ScanIndex(redis, embedder.dimensions()).search(keys, vectors.get(1), t1, 10, -1f);
        assertThat(calls("get") - gets).isEqualTo(2);
        // the same memories in the same order; a score may differ in its last bits, since the Vector API's
        // lane sum is ordered differently before and after the JIT compiles the scan
        assertThat(coldHits)
                .extracting(VectorIndex.Scored::id)
                .isEqualTo(warmHits.stream().map(VectorIndex.Scored::id).toList());
        for (int i = 0; i < coldHits.size(); i++) {
            assertThat(coldHits.get(i).score())
                    .isCloseTo(warmHits.get(i).score(), org.assertj.core.data.Offset.offset(1e-5f));
        }

        // emptying the tenant drops every segment: only the version is left
        assertThat(memory.forgetAll(tenant)).isEqualTo(1500);
        List<String> left = new ArrayList<>();
        redis.execute(Command.KEYS, keys.prefix() + "*").forEach(k -> left.add(k.toString()));
        assertThat(left).containsOnly(keys.version());
        assertThat(warm.search(keys, fresh, RecallFilter.NONE, 5, -1f)).isEmpty();
    }

    @Test
    void aForgottenSlotIsReusedAndAWarmInstanceRecallsTheNewMemoryOnly() {
        String tenant = "reuse";
        LtmKeys keys = LtmKeys.of(tenant);
        memory.forgetAll(tenant);
        LongTermMemory other = new LongTermMemory(redis, embedder, new VectorIndexes(redis, config, embedder), config);
        RecallQuery q = new RecallQuery("Which pet does Ada have?", 5, null, null); // the model's calibrated minScore
        Remembered cat = memory.remember(tenant, NewMemory.of("Ada has a grey cat called Smoke."));
        Remembered keep = memory.remember(tenant, NewMemory.of("The office closes at noon on Fridays."));
        assertThat(memory.recall(tenant, q)).extracting(RecallHit::id).containsExactly(cat.id()); // warm
        String slot = redis.execute(Command.HGET, keys.slots(), cat.id()).toString();

        assertThat(other.forgetId(tenant, cat.id())).isEqualTo(1);
        assertThat(redis.execute(Command.LRANGE, keys.freeSlots(), "0", "-1")
                        .get(0)
                        .toString())
                .isEqualTo(slot);
        Remembered parrot = other.remember(tenant, NewMemory.of("Ada has a green parrot called Kiwi."));
        assertThat(redis.execute(Command.HGET, keys.slots(), parrot.id()).toString())
                .isEqualTo(slot);
        assertThat(redis.execute(Command.EXISTS, keys.freeSlots()).toLong()).isZero();
        assertThat(redis.execute(Command.HGET, keys.version(), "rows").toLong()).isEqualTo(2);

        List<RecallHit> hits = memory.recall(tenant, q);
        assertThat(hits).extracting(RecallHit::id).containsExactly(parrot.id());
        assertThat(hits.getFirst().text()).isEqualTo("Ada has a green parrot called Kiwi.");
        assertThat(memory.recall(tenant, new RecallQuery("When does the office close?", 1, null, null)))
                .extracting(RecallHit::id)
                .containsExactly(keep.id());
    }

    private static String top(VectorIndex index, LtmKeys keys, float[] vector) {
        List<VectorIndex.Scored> hits = index.search(keys, vector, RecallFilter.NONE, 1, -1f);
        return hits.isEmpty() ? null : hits.getFirst().id();
    }

    /** How many times Redis has run a command so far (INFO commandstats). */
    private long calls(String command) {
        for (String line :
                redis.execute(Command.INFO, "commandstats").toString().split("\r?\n")) {
            if (line.startsWith("cmdstat_" + command + ":")) {
                String field = line.substring(line.indexOf("calls=") + 6);
                return Long.parseLong(field.substring(0, field.indexOf(',')));
            }
        }
        return 0;
    }

    private static float[] unit(SplittableRandom random) {
        return UnitVectors.random(random, 384);
    }
}
