package dev.engram.functions.memory;

import static dev.engram.functions.memory.Sessions.delete;
import static dev.engram.functions.memory.Sessions.get;
import static dev.engram.functions.memory.Sessions.newId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Turns written through the store come back through {@code session-get}, in order, per tenant. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class SessionEndpointsTest {
    static final String TENANT = Tenant.DEFAULT.id();

    @Inject
    SessionStore store;

    @Test
    void appendedTurnsComeBackInOrderWithTheirTokens() {
        String id = newId("order");
        store.append(
                TENANT,
                id,
                List.of(Turn.user("What is Redis?", 4, 1000), Turn.assistant("A key-value store.", 5, 1001)));
        Session after =
                store.append(TENANT, id, List.of(Turn.user("Is it fast?", 3, 1002), Turn.assistant("Yes.", 2, 1003)));
        assertThat(after.turns()).hasSize(4);
        assertThat(after.version()).isEqualTo(2);

        get(id).statusCode(200)
                .body("sessionId", is(id))
                .body("turns.role", contains("user", "assistant", "user", "assistant"))
                .body("turns.text", contains("What is Redis?", "A key-value store.", "Is it fast?", "Yes."))
                .body("turns.tokens", contains(4, 5, 3, 2))
                .body("turns.timestamp", contains(1000, 1001, 1002, 1003))
                .body("summary", is(""))
                .body("summaryTokens", is(0))
                .body("turnTokens", is(14))
                .body("ttlSeconds", allOf(greaterThan(0), lessThanOrEqualTo(24 * 3600)));
    }

    @Test
    void deleteRemovesTheSession() {
        String id = newId("delete");
        store.append(TENANT, id, Sessions.pair("hello", "hi"));
        get(id).statusCode(200);

        delete(id).statusCode(200).body("sessionId", is(id)).body("deleted", is(true));

        get(id).statusCode(404).body("error", is("session_not_found"));
        assertThat(store.load(TENANT, id).exists()).isFalse();
        delete(id).statusCode(200).body("deleted", is(false));
    }

    @Test
    void aMissingSessionIs404() {
        get(newId("never")).statusCode(404).contentType("application/json").body("error", is("session_not_found"));
    }

    @Test
    void tenantsDoNotSeeEachOthersSessions() {
        String id = newId("shared-name");
        store.append("a", id, Sessions.pair("tenant a asks", "tenant a hears"));

        assertThat(store.load("b", id).exists()).isFalse();
        assertThat(store.delete("b", id)).isFalse();
        assertThat(store.load("a", id).turns())
                .extracting(Turn::text)
                .containsExactly("tenant a asks", "tenant a hears");
        // HTTP serves the default tenant only, so it does not see tenant a either
        get(id).statusCode(404);
    }

    @Test
    void aSessionIdWithColonsCannotReachAnotherSessionsTurns() {
        String id = newId("colon");
        store.append(TENANT, id, Sessions.pair("q", "a"));
        // under a ":turns"-suffix layout this id would name the turn list of the session above
        assertThat(store.load(TENANT, id + ":turns").exists()).isFalse();
        store.append(TENANT, id + ":turns", Sessions.pair("other", "session"));
        assertThat(store.load(TENANT, id).turns()).extracting(Turn::text).containsExactly("q", "a");
    }
}
