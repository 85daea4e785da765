package dev.engram.functions.classify;

import static dev.engram.testing.AuthProfile.ALPHA;
import static dev.engram.testing.AuthProfile.ALPHA_KEY;
import static dev.engram.testing.AuthProfile.BETA;
import static dev.engram.testing.AuthProfile.BETA_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.session.SessionKeys;
import dev.engram.memory.session.SessionStore;
import dev.engram.testing.AuthChecks;
import dev.engram.testing.AuthProfile;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /classify} with authentication on: a valid tenant key is needed, and a session lands in the caller's tenant. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(AuthProfile.class)
class ClassifyAuthTest {
    static final String BODY = "{\"text\":\"Heavy rain is expected tomorrow.\",\"labels\":[\"sports\",\"weather\"],\"mode\":\"embedding\"}";

    @Inject
    SessionStore sessions;

    @Test
    void needsAValidKey() {
        AuthChecks.refusesWithoutAValidKey("/classify", BODY);
        AuthChecks.post(ALPHA_KEY, "/classify", BODY).statusCode(200);
    }

    @Test
    void aSessionIsKeptInTheCallersTenant() {
        String id = "auth-" + UUID.randomUUID();
        String body = "{\"text\":\"Heavy rain is expected tomorrow.\",\"labels\":[\"sports\",\"weather\"],\"mode\":\"embedding\",\"sessionId\":\"SID\"}".replace("SID", id);
        AuthChecks.post(ALPHA_KEY, "/classify", body).statusCode(200);
        assertThat(sessions.peek(ALPHA, id).turns()).hasSize(2);
        assertThat(sessions.peek(BETA, id).exists()).isFalse();
        assertThat(sessions.peek(SessionKeys.DEFAULT_TENANT, id).exists()).isFalse();
        AuthChecks.post(BETA_KEY, "/classify", body).statusCode(200);
        assertThat(sessions.peek(BETA, id).turns()).hasSize(2);
        assertThat(sessions.peek(ALPHA, id).turns()).hasSize(2);
    }
}
