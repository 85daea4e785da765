package dev.engram.functions.memory;

import static dev.engram.functions.memory.Sessions.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.engram.memory.session.FoldResult;
import dev.engram.memory.session.Handoff;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Folding the oldest turns into the summary: exactly once, never losing what was appended meanwhile. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class SessionFoldTest {
    static final String TENANT = Tenant.DEFAULT.id();

    @Inject
    SessionStore store;

    private Session threePairs(String id) {
        store.append(TENANT, id, Sessions.pair("q1", "a1"));
        store.append(TENANT, id, Sessions.pair("q2", "a2"));
        return store.append(TENANT, id, Sessions.pair("q3", "a3"));
    }

    @Test
    void foldRemovesTheOldestTurnsAndSetsTheSummary() {
        String id = Sessions.newId("fold");
        Session seen = threePairs(id);

        FoldResult result = store.fold(seen, 2, "They greeted each other.", 6, true);

        assertThat(result.applied()).isTrue();
        assertThat(result.session().handoffs()).isEqualTo(1);
        List<Handoff> handoffs = store.handoffs(TENANT, id);
        assertThat(handoffs).singleElement().satisfies(h -> {
            assertThat(h.seq()).isZero();
            assertThat(h.turns()).extracting(Turn::text).containsExactly("q1", "a1");
        });
        store.handedOff(TENANT, id, handoffs.getFirst());
        assertThat(store.peek(TENANT, id).handoffs()).isZero();
        assertThat(result.session().turns()).extracting(Turn::text).containsExactly("q2", "a2", "q3", "a3");
        assertThat(result.session().foldedTurns()).isEqualTo(2);
        get(id).statusCode(200)
                .body("turns.text", contains("q2", "a2", "q3", "a3"))
                .body("summary", is("They greeted each other."))
                .body("summaryTokens", is(6))
                .body("turnTokens", is(8));
    }

    @Test
    void turnsAppendedWhileTheModelSummarisedAreKept() {
        String id = Sessions.newId("fold-append");
        Session seen = threePairs(id);
        store.append(TENANT, id, Sessions.pair("q4", "a4")); // lands between the read and the fold

        FoldResult result = store.fold(seen, 4, "S", 1, true);

        assertThat(result.applied()).isTrue();
        assertThat(store.handoffs(TENANT, id).getFirst().turns())
                .extracting(Turn::text)
                .containsExactly("q1", "a1", "q2", "a2");
        assertThat(store.load(TENANT, id).turns()).extracting(Turn::text).containsExactly("q3", "a3", "q4", "a4");
    }

    @Test
    void aSecondFoldOfTheSameTurnsDoesNotApply() {
        String id = Sessions.newId("fold-twice");
        Session seen = threePairs(id);

        assertThat(store.fold(seen, 2, "first", 1, true).applied()).isTrue();
        FoldResult stale = store.fold(seen, 2, "second", 1, true);

        assertThat(stale.applied()).isFalse();
        assertThat(stale.session().handoffs())
                .as("only the applied fold hands its turns on")
                .isEqualTo(1);
        assertThat(stale.session().summary()).isEqualTo("first");
        assertThat(stale.session().turns()).extracting(Turn::text).containsExactly("q2", "a2", "q3", "a3");
        // starting again from the fresh snapshot works
        assertThat(store.fold(stale.session(), 2, "first and second", 2, false).applied())
                .isTrue();
        assertThat(store.load(TENANT, id).turns()).extracting(Turn::text).containsExactly("q3", "a3");
    }

    @Test
    void racingFoldsApplyOnceWhileAppendsGoOn() throws Exception {
        String id = Sessions.newId("fold-race");
        Session seen = threePairs(id);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<FoldResult>> folds = new ArrayList<>();
        List<Future<?>> appends = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                String summary = "summary " + i;
                folds.add(pool.submit(() -> {
                    go.await();
                    return store.fold(seen, 2, summary, 2, false);
                }));
                int n = i;
                appends.add(pool.submit(() -> {
                    go.await();
                    return store.append(TENANT, id, Sessions.pair("late q" + n, "late a" + n));
                }));
            }
            go.countDown();
            int applied = 0;
            for (Future<FoldResult> fold : folds) {
                applied += fold.get(30, TimeUnit.SECONDS).applied() ? 1 : 0;
            }
            for (Future<?> append : appends) {
                append.get(30, TimeUnit.SECONDS);
            }
            assertThat(applied).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        Session after = store.load(TENANT, id);
        assertThat(after.foldedTurns()).isEqualTo(2);
        assertThat(after.turns()).hasSize(6 - 2 + 12);
        assertThat(after.turns().subList(0, 4)).extracting(Turn::text).containsExactly("q2", "a2", "q3", "a3");
    }

    @Test
    void foldingMoreTurnsThanThereAreOrAMissingSessionDoesNotApply() {
        String id = Sessions.newId("fold-short");
        Session seen = threePairs(id);
        assertThat(store.fold(seen, 7, "S", 1, false).applied()).isFalse();
        assertThat(store.load(TENANT, id).turns()).hasSize(6);

        assertThat(store.fold(TENANT, Sessions.newId("fold-none"), 0, 1, "S", 1, false)
                        .applied())
                .isFalse();
    }

    @Test
    void foldingEveryTurnLeavesTheSummaryAndLaterAppendsStartAfresh() {
        String id = Sessions.newId("fold-all");
        Session seen = threePairs(id);
        Session empty = store.fold(seen, 6, "everything", 3, false).session();
        assertThat(empty.exists()).isTrue();
        assertThat(empty.turns()).isEmpty();
        assertThat(empty.ttlSecondsLeft()).isPositive();

        Session next = store.append(TENANT, id, Sessions.pair("q4", "a4"));
        assertThat(next.turns()).extracting(Turn::text).containsExactly("q4", "a4");
        assertThat(next.summary()).isEqualTo("everything");
        assertThat(next.foldedTurns()).isEqualTo(6);
    }
}
