package dev.engram.functions.memory;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import dev.engram.memory.session.SessionStore;
import dev.engram.tenant.Tenant;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * remember with a conversation queues it for the memory worker (this function has no model and runs no
 * worker) and answers at once; session-get shows what is pending; bad conversations are 400s by name.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class PromotionEndpointsTest {
    @Inject
    SessionStore sessions;

    static ValidatableResponse post(String function, String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/" + function)
                .then();
    }

    @Test
    void aConversationIsQueuedAndShownAsPendingOnItsSession() {
        String sessionId = Sessions.newId("queued");
        sessions.append(Tenant.DEFAULT.id(), sessionId, Sessions.pair("hello", "hi"));
        post("session-get", "{\"sessionId\":\"" + sessionId + "\"}")
                .statusCode(200)
                .body("promotion.pending", is(0))
                .body("promotion.failed", is(0));

        String body =
                "{\"sessionId\":\"" + sessionId + "\",\"userId\":\"ann\",\"strategy\":\"discrete\",\"conversation\":["
                        + "{\"role\":\"user\",\"text\":\"I prefer green tea.\"},{\"role\":\"assistant\",\"text\":\"Noted.\"}]}";
        post("remember", body)
                .statusCode(200)
                .body("queued", matchesPattern("\\d+-\\d+"))
                .body("id", nullValue());
        post("remember", body).statusCode(200);
        post("session-get", "{\"sessionId\":\"" + sessionId + "\"}")
                .statusCode(200)
                .body("promotion.pending", is(2));
        // nothing is written until a worker runs
        post("recall", "{\"query\":\"green tea\",\"minScore\":-1,\"filters\":{\"userId\":\"ann\"}}")
                .statusCode(200)
                .body("hits", empty());
    }

    @Test
    void badConversationsAreRefusedByName() {
        String turn = "[{\"role\":\"user\",\"text\":\"hi\"}]";
        post("remember", "{\"text\":\"x\",\"conversation\":" + turn + "}")
                .statusCode(400)
                .body("error", is("invalid_remember"));
        post("remember", "{\"text\":\"x\",\"strategy\":\"summary\"}")
                .statusCode(400)
                .body("error", is("invalid_remember"));
        post("remember", "{\"conversation\":" + turn + ",\"strategy\":\"gist\"}")
                .statusCode(400)
                .body("error", is("invalid_strategy"))
                .body("message", containsString("verbatim"));
        post("remember", "{\"conversation\":" + turn + ",\"strategy\":\"custom\"}")
                .statusCode(400)
                .body("error", is("invalid_strategy"));
        post("remember", "{\"conversation\":" + turn + ",\"instruction\":\"List names.\"}")
                .statusCode(400)
                .body("error", is("invalid_strategy"));
        post("remember", "{\"conversation\":[]}").statusCode(400).body("error", is("out_of_range"));
        post("remember", "{\"conversation\":[{\"role\":\"system\",\"text\":\"hi\"}]}")
                .statusCode(400)
                .body("error", is("invalid_role"))
                .body("message", containsString("conversation[0].role"));
        post("remember", "{\"conversation\":[{\"role\":\"user\"}]}")
                .statusCode(400)
                .body("error", is("empty_text"));
        post("remember", "{\"conversation\":[{\"role\":\"user\",\"text\":\"" + "x".repeat(4001) + "\"}]}")
                .statusCode(400)
                .body("error", is("too_long"));
        post("remember", "{\"conversation\":" + turn + ",\"sessionId\":\"a b\"}")
                .statusCode(400)
                .body("error", is("invalid_session_id"));
        post("remember", "{\"conversation\":[{\"role\":\"user\",\"text\":\"hi\",\"extra\":1}]}")
                .statusCode(400)
                .body("error", is("invalid_json"));
    }

    @Test
    void theDeadLettersOfATenantAreListedForOperators() {
        post("memory-promotion-failed", "{\"tenant\":\"default\"}")
                .statusCode(200)
                .body("$", empty());
        post("memory-promotion-failed", "{}").statusCode(400).body("error", is("missing_field"));
        post("memory-promotion-failed", "{\"tenant\":\"default\",\"count\":0}")
                .statusCode(400)
                .body("error", is("out_of_range"));
    }
}
