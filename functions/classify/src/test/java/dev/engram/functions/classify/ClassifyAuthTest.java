package dev.engram.functions.classify;

import static dev.engram.testing.AuthProfile.ALPHA_KEY;

import dev.engram.memory.session.SessionStore;
import dev.engram.testing.AuthChecks;
import dev.engram.testing.AuthProfile;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** {@code POST /classify} with authentication on: a valid tenant key is needed, and a session lands in the caller's tenant. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(AuthProfile.class)
class ClassifyAuthTest {
    static final String BODY =
            "{\"text\":\"Heavy rain is expected tomorrow.\",\"labels\":[\"sports\",\"weather\"],\"mode\":\"embedding\"}";

    @Inject
    SessionStore sessions;

    @Test
    void needsAValidKey() {
        AuthChecks.refusesWithoutAValidKey("/classify", BODY);
        AuthChecks.post(ALPHA_KEY, "/classify", BODY).statusCode(200);
    }

    @Test
    void aSessionIsKeptInTheCallersTenant() {
        AuthChecks.keepsTheSessionInTheCallersTenant(sessions, "/classify", BODY);
    }
}
