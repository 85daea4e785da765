package dev.engram.functions.memory;

import static dev.engram.testing.AuthProfile.ALPHA;
import static dev.engram.testing.AuthProfile.BETA;
import static dev.engram.testing.AuthProfile.BETA_KEY;
import static dev.engram.testing.Events.binary;
import static dev.engram.testing.Events.structured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.auth.EventSignatures;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.RecallHit;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.testing.AuthProfile;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * CloudEvents with authentication on: an event carries its tenant either as a Bearer header, or (through
 * a broker, which passes no Authorization header) as the extension attributes {@code engramtenant} and
 * {@code engramsignature} = HMAC-SHA256(secret, tenant + "\n" + id). Anything else is a 401 error event.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(MemorySignedCloudEventTest.Signed.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "knative",
        disabledReason = "runs in the -Dengram.binding=knative build")
class MemorySignedCloudEventTest {
    static final String SECRET = "event-secret-for-tests";

    public static class Signed extends AuthProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of("engram.auth.event-secret", SECRET);
        }
    }

    @Inject
    LongTermMemory memory;

    static Map<String, String> signedHeaders(String tenant, String id) {
        return Map.of("ce-engramtenant", tenant, "ce-engramsignature", EventSignatures.sign(SECRET, tenant, id));
    }

    private java.util.List<String> texts(String tenant) {
        return memory.recall(tenant, new RecallQuery("What is the weather like?", 50, null, 0.0f)).stream()
                .map(RecallHit::text)
                .toList();
    }

    @Test
    void aSignedOrKeyedEventRunsInItsTenant() {
        memory.forgetAll(ALPHA);
        memory.forgetAll(BETA);
        binary("remember", "ev-1", "{\"text\":\"It rains in Bergen.\"}", signedHeaders(ALPHA, "ev-1"))
                .then()
                .statusCode(200)
                .header("ce-type", "remember.output");
        structured(
                        "remember",
                        "ev-2",
                        Map.of("text", "It is sunny in Seville."),
                        Map.of("engramtenant", BETA, "engramsignature", EventSignatures.sign(SECRET, BETA, "ev-2")))
                .then()
                .statusCode(200)
                .body("type", equalTo("remember.output"));
        binary("remember", "ev-3", "{\"text\":\"It snows in Oulu.\"}", Map.of("Authorization", "Bearer " + BETA_KEY))
                .then()
                .statusCode(200);
        assertThat(texts(ALPHA)).containsExactly("It rains in Bergen.");
        assertThat(texts(BETA)).containsExactlyInAnyOrder("It is sunny in Seville.", "It snows in Oulu.");
    }

    @Test
    void anUnsignedForgedOrMovedEventIsA401ErrorEvent() {
        memory.forgetAll(ALPHA);
        binary("remember", "bad-1", "{\"text\":\"x\"}")
                .then()
                .statusCode(401)
                .header("ce-type", "remember.error")
                .header("ce-correlationid", "bad-1")
                .body("error", equalTo("unauthorized"));
        // a signature made for another event id (a replayed signature on a new event)
        binary("remember", "bad-2", "{\"text\":\"x\"}", signedHeaders(ALPHA, "ev-1"))
                .then()
                .statusCode(401)
                .header("ce-type", "remember.error")
                .body("error", equalTo("unauthorized"));
        // alpha's signature with beta's name
        binary(
                        "remember",
                        "bad-3",
                        "{\"text\":\"x\"}",
                        Map.of(
                                "ce-engramtenant",
                                BETA,
                                "ce-engramsignature",
                                EventSignatures.sign(SECRET, ALPHA, "bad-3")))
                .then()
                .statusCode(401);
        structured("remember", "bad-4", Map.of("text", "x"), Map.of("engramtenant", ALPHA, "engramsignature", "00ff"))
                .then()
                .statusCode(401)
                .body("type", equalTo("remember.error"))
                .body("correlationid", equalTo("bad-4"))
                .body("data.error", equalTo("unauthorized"));
        structured("remember", "bad-5", Map.of("text", "x"))
                .then()
                .statusCode(401)
                .body("data.error", equalTo("unauthorized"));
        assertThat(texts(ALPHA)).isEmpty();
    }
}
