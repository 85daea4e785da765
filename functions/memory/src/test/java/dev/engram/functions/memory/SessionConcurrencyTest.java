package dev.engram.functions.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Requests on one session at the same moment: no lost turn, no split pair. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class SessionConcurrencyTest {
    static final String TENANT = Tenant.DEFAULT.id();
    static final int THREADS = 20;

    @Inject
    SessionStore store;

    @Test
    void concurrentPairsAreAllKeptAndNeverInterleave() throws Exception {
        String id = Sessions.newId("concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Session>> appends = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int n = i;
                appends.add(pool.submit(() -> {
                    go.await();
                    return store.append(TENANT, id, Sessions.pair("user " + n, "assistant " + n));
                }));
            }
            go.countDown();
            Set<Long> versions = new HashSet<>();
            for (Future<Session> append : appends) {
                versions.add(append.get(30, TimeUnit.SECONDS).version());
            }
            assertThat(versions).as("every append saw its own version").hasSize(THREADS);
        } finally {
            pool.shutdownNow();
        }

        List<Turn> turns = store.load(TENANT, id).turns();
        assertThat(turns).hasSize(2 * THREADS);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < turns.size(); i += 2) {
            Turn user = turns.get(i);
            Turn assistant = turns.get(i + 1);
            assertThat(user.role()).isEqualTo(Turn.USER);
            assertThat(assistant.role()).isEqualTo(Turn.ASSISTANT);
            String n = user.text().substring("user ".length());
            assertThat(assistant.text()).as("the turn after '%s'", user.text()).isEqualTo("assistant " + n);
            seen.add(n);
        }
        assertThat(seen).hasSize(THREADS);
    }
}
