package dev.engram.functions.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.batch.BatchKeys;
import dev.engram.batch.BatchStatus;
import dev.engram.batch.BatchStore;
import dev.engram.redis.RedisGateway;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.redis.client.Command;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Claims of several lines, on the real Redis: a claim takes at most the lines asked for, lines held by a
 * live runner are not taken by another, and lines handed back unrun are taken by the next claim at once
 * rather than after claim-idle. The job is set up by hand and kept out of the set of unfinished jobs, so this
 * application's own runner leaves it alone.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class BatchClaimTest {
    static final Duration CLAIM_IDLE = Duration.ofMinutes(1);

    @Inject
    BatchStore store;

    @Inject
    RedisGateway redis;

    @Test
    void handedBackLinesAreClaimableAtOnceAndHeldOnesAreNot() {
        BatchKeys keys = runningJob(6);

        BatchStore.Claim first = store.claim(keys, "runner-a", CLAIM_IDLE, 4);
        assertThat(first.state()).isEqualTo(BatchStatus.RUNNING);
        assertThat(numbers(first)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(first.lines().getFirst().fields()).containsEntry("c", "c-1");

        // runner a runs line 1 and hands 2..4 back (a cancel); runner b takes the fresh lines first, then those
        store.release(keys, "runner-a", first.lines().subList(1, 4), CLAIM_IDLE);
        assertThat(numbers(store.claim(keys, "runner-b", CLAIM_IDLE, 4))).containsExactly(5L, 6L);
        assertThat(numbers(store.claim(keys, "runner-b", CLAIM_IDLE, 4))).containsExactly(2L, 3L, 4L);
        // line 1 is still runner a's: nobody else gets it before claim-idle
        assertThat(store.claim(keys, "runner-b", CLAIM_IDLE, 4).lines()).isEmpty();
    }

    @Test
    void aCancelledJobHandsOutNothing() {
        BatchKeys keys = runningJob(3);
        redis.execute(Command.HSET, keys.meta(), "state", BatchStatus.CANCELLED);
        BatchStore.Claim claim = store.claim(keys, "runner-a", CLAIM_IDLE, 4);
        assertThat(claim.state()).isEqualTo(BatchStatus.CANCELLED);
        assertThat(claim.lines()).isEmpty();
        assertThat(store.state(keys)).isEqualTo(BatchStatus.CANCELLED);
    }

    /** A crash between a job's final move and the set's change leaves it listed as unfinished: a poll drops it. */
    @Test
    void aFinishedJobStillListedAsUnfinishedIsDroppedByAPoll() throws InterruptedException {
        BatchKeys keys = BatchKeys.of("claims", "job-" + UUID.randomUUID());
        redis.execute(Command.HSET, keys.meta(), "state", BatchStatus.COMPLETED);
        redis.execute(Command.SADD, BatchKeys.GLOBAL_UNFINISHED, keys.globalMember());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.unfinished().contains(keys.globalMember()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(store.unfinished()).doesNotContain(keys.globalMember());
        assertThat(store.state(keys)).isEqualTo(BatchStatus.COMPLETED);
    }

    private BatchKeys runningJob(int lines) {
        BatchKeys keys = BatchKeys.of("claims", "job-" + UUID.randomUUID());
        redis.execute(Command.HSET, keys.meta(), "state", BatchStatus.RUNNING);
        redis.execute(Command.XGROUP, "CREATE", keys.in(), BatchKeys.GROUP, "0", "MKSTREAM");
        List<String> quadruples = new ArrayList<>();
        for (int n = 1; n <= lines; n++) {
            quadruples.addAll(List.of(Integer.toString(n), "c-" + n, "l", "{}"));
        }
        store.addLines(keys, quadruples);
        return keys;
    }

    private static List<Long> numbers(BatchStore.Claim claim) {
        return claim.lines().stream().map(BatchStore.Line::number).toList();
    }
}
