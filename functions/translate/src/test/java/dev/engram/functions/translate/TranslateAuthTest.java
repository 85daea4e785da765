package dev.engram.functions.translate;

import static dev.engram.testing.AuthProfile.ALPHA_KEY;
import static dev.engram.testing.AuthProfile.BETA_KEY;

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

/** {@code POST /translate} with authentication on: a valid tenant key is needed, and a session lands in the caller's tenant. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(TranslateAuthTest.BetaSmallBodies.class)
class TranslateAuthTest {
    static final String BODY =
            "{\"text\":\"The little dog plays in the garden.\",\"targetLanguage\":\"en\",\"sourceLanguage\":\"en\"}";

    @Inject
    SessionStore sessions;

    @Test
    void needsAValidKey() {
        AuthChecks.refusesWithoutAValidKey("/translate", BODY);
        AuthChecks.post(ALPHA_KEY, "/translate", BODY).statusCode(200);
    }

    @Test
    void aSessionIsKeptInTheCallersTenant() {
        AuthChecks.keepsTheSessionInTheCallersTenant(sessions, "/translate", BODY);
    }

    public static class BetaSmallBodies extends AuthProfile {
        @Override
        protected java.util.Map<String, String> extra() {
            return java.util.Map.of("engram.limits.tenant.beta.max-body-bytes", "200");
        }
    }

    @Test
    void aBodyOverTheTenantsSizeLimitIs413BeforeItIsRead() {
        String big = "{\"text\":\"" + "The little dog plays in the garden. ".repeat(10)
                + "\",\"targetLanguage\":\"en\",\"sourceLanguage\":\"en\"}";
        AuthChecks.post(BETA_KEY, "/translate", big)
                .statusCode(413)
                .body("error", org.hamcrest.Matchers.is("request_too_large"))
                .body(
                        "message",
                        org.hamcrest.Matchers.is("The request body is larger than this tenant's limit of 200 bytes"));
        AuthChecks.post(ALPHA_KEY, "/translate", big).statusCode(200);
        AuthChecks.post(BETA_KEY, "/translate", BODY).statusCode(200);
    }
}
