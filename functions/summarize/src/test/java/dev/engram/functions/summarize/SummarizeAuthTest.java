package dev.engram.functions.summarize;

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

/** {@code POST /summarize} with authentication on: a valid tenant key is needed, and a session lands in the caller's tenant. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(AuthProfile.class)
class SummarizeAuthTest {
    static final String BODY =
            "{\"text\":\"The council met on Tuesday. It voted for a new park. Work starts in spring.\",\"mode\":\"extractive\",\"maxSentences\":1}";

    @Inject
    SessionStore sessions;

    @Test
    void needsAValidKey() {
        AuthChecks.refusesWithoutAValidKey("/summarize", BODY);
        AuthChecks.post(ALPHA_KEY, "/summarize", BODY).statusCode(200);
    }

    @Test
    void aSessionIsKeptInTheCallersTenant() {
        AuthChecks.keepsTheSessionInTheCallersTenant(sessions, "/summarize", BODY);
    }
}
