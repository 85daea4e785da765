package dev.engram.functions.memory;

import static dev.engram.testing.AuthProfile.ADMIN_KEY;
import static dev.engram.testing.AuthProfile.ALPHA;
import static dev.engram.testing.AuthProfile.ALPHA_KEY;
import static dev.engram.testing.AuthProfile.BETA;
import static dev.engram.testing.AuthProfile.BETA_KEY;
import static dev.engram.testing.AuthProfile.WRONG_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.engram.memory.session.SessionStore;
import dev.engram.redis.RedisGateway;
import dev.engram.testing.AuthProfile;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Authentication and tenant isolation of every memory endpoint, with auth on: no key or a wrong key is
 * 401 everywhere; tenant {@code beta}'s key can neither see nor remove anything of {@code alpha}; only
 * an operator key erases a tenant, and the erase leaves no key of it and every key of others.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(AuthProfile.class)
class MemoryAuthTest {
    /**
     * Every endpoint of the module with a body it would accept. The batch endpoints (batch-*) belong in
     * this map too once the batch functions exist.
     */
    static final Map<String, String> ENDPOINTS = Map.of(
            "session-get", "{\"sessionId\":\"s-1\"}",
            "session-delete", "{\"sessionId\":\"s-1\"}",
            "remember", "{\"text\":\"The gate code is 4711.\"}",
            "recall", "{\"query\":\"gate code\"}",
            "forget", "{\"all\":true}",
            "tenant-erase", "{\"tenant\":\"alpha\"}",
            "memory-reembed", "{\"tenant\":\"alpha\"}");

    @Inject
    SessionStore sessions;

    @Inject
    RedisGateway redis;

    static ValidatableResponse call(String key, String function, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Authorization", AuthProfile.bearer(key));
        }
        return request.when().post("/" + function).then();
    }

    Set<String> keys(String pattern) {
        Set<String> found = new TreeSet<>();
        String cursor = "0";
        do {
            Response page = redis.execute(Command.SCAN, cursor, "MATCH", pattern, "COUNT", "1000");
            cursor = page.get(0).toString();
            page.get(1).forEach(k -> found.add(k.toString()));
        } while (!"0".equals(cursor));
        return found;
    }

    @Test
    void everyEndpointRefusesARequestWithoutAValidKeyAndChangesNothing() {
        Set<String> before = keys("engram:*");
        ENDPOINTS.forEach((function, body) -> {
            call(null, function, body)
                    .statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("error", is("unauthorized"));
            call(WRONG_KEY, function, body)
                    .statusCode(401)
                    .body("error", is("unauthorized"))
                    .body("message", is("The API key is not valid"));
            given().contentType(ContentType.JSON)
                    .header("Authorization", "Basic " + ALPHA_KEY)
                    .body(body)
                    .when()
                    .post("/" + function)
                    .then()
                    .statusCode(401)
                    .body("error", is("unauthorized"));
            given().contentType(ContentType.JSON)
                    .header("Authorization", "Bearer ")
                    .body(body)
                    .when()
                    .post("/" + function)
                    .then()
                    .statusCode(401);
        });
        assertThat(keys("engram:*")).isEqualTo(before);
        // health stays open for the platform's probes
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void anotherTenantsKeyCannotReadRecallOrDeleteAnything() {
        String sessionId = Sessions.newId("iso");
        sessions.append(ALPHA, sessionId, Sessions.pair("Where is the key?", "Under the mat."));
        String id = call(
                        ALPHA_KEY,
                        "remember",
                        "{\"text\":\"Alpha's vault code is 9931.\",\"userId\":\"ann\",\"sessionId\":\"" + sessionId
                                + "\"}")
                .statusCode(200)
                .extract()
                .path("id");

        // beta: the session does not exist, deleting it deletes nothing, recall finds nothing, forget removes nothing
        call(BETA_KEY, "session-get", "{\"sessionId\":\"" + sessionId + "\"}")
                .statusCode(404)
                .body("error", is("session_not_found"));
        call(BETA_KEY, "session-delete", "{\"sessionId\":\"" + sessionId + "\"}")
                .statusCode(200)
                .body("deleted", is(false));
        // beta's own memories may score above any bar (another test leaves one): alpha's may never appear
        call(BETA_KEY, "recall", "{\"query\":\"vault code\",\"minScore\":-1,\"k\":50}")
                .statusCode(200)
                .body("hits.id", not(hasItem(id)))
                .body("hits.text", not(hasItem("Alpha's vault code is 9931.")));
        call(BETA_KEY, "forget", "{\"id\":\"" + id + "\"}").statusCode(200).body("forgotten", is(0));
        call(BETA_KEY, "forget", "{\"userId\":\"ann\"}").statusCode(200).body("forgotten", is(0));
        call(BETA_KEY, "forget", "{\"sessionId\":\"" + sessionId + "\"}")
                .statusCode(200)
                .body("forgotten", is(0));
        call(BETA_KEY, "forget", "{\"all\":true}").statusCode(200);

        // alpha still has all of it
        call(ALPHA_KEY, "session-get", "{\"sessionId\":\"" + sessionId + "\"}")
                .statusCode(200)
                .body("turns.text", equalTo(java.util.List.of("Where is the key?", "Under the mat.")));
        call(ALPHA_KEY, "recall", "{\"query\":\"vault code\",\"k\":1}")
                .statusCode(200)
                .body("hits[0].id", is(id));
        // and beta's own memory is beta's alone
        call(BETA_KEY, "remember", "{\"text\":\"Beta's vault code is 1234.\"}").statusCode(200);
        call(ALPHA_KEY, "recall", "{\"query\":\"vault code\",\"k\":50,\"minScore\":0.0}")
                .statusCode(200)
                .body("hits.text", equalTo(java.util.List.of("Alpha's vault code is 9931.")));
    }

    @Test
    void onlyAnOperatorKeyReembedsATenant() {
        call(ALPHA_KEY, "memory-reembed", "{\"tenant\":\"alpha\"}")
                .statusCode(403)
                .body("error", is("forbidden"));
        call(ADMIN_KEY, "memory-reembed", "{}").statusCode(400).body("error", is("missing_field"));
        call(ADMIN_KEY, "memory-reembed", "{\"tenant\":\"a:b\"}")
                .statusCode(400)
                .body("error", is("invalid_tenant"));
        call(ADMIN_KEY, "memory-reembed", "{\"tenant\":\"alpha\",\"batch\":0}")
                .statusCode(400)
                .body("error", is("out_of_range"));
        call(ADMIN_KEY, "memory-reembed", "{\"tenant\":\"alpha\"}")
                .statusCode(200)
                .body("done", is(true));
    }

    @Test
    void onlyAnOperatorKeyErasesATenantAndAnOperatorKeyHasNoTenant() {
        call(ALPHA_KEY, "tenant-erase", "{\"tenant\":\"alpha\"}")
                .statusCode(403)
                .body("error", is("forbidden"));
        call(BETA_KEY, "tenant-erase", "{\"tenant\":\"alpha\"}").statusCode(403).body("error", is("forbidden"));
        call(ADMIN_KEY, "remember", "{\"text\":\"An operator's note.\"}")
                .statusCode(403)
                .body("error", is("forbidden"));
        call(ADMIN_KEY, "tenant-erase", "{}").statusCode(400).body("error", is("missing_field"));
        call(ADMIN_KEY, "tenant-erase", "{\"tenant\":\"a:b\"}").statusCode(400).body("error", is("invalid_tenant"));
        call(ADMIN_KEY, "tenant-erase", "{\"tenant\":\"alpha\",\"extra\":1}")
                .statusCode(400)
                .body("error", is("invalid_json"));
    }

    @Test
    void tenantEraseLeavesNoKeyOfTheTenantAndEveryKeyOfOthers() {
        String sessionId = Sessions.newId("erase");
        sessions.append(ALPHA, sessionId, Sessions.pair("hello", "hi"));
        call(ALPHA_KEY, "remember", "{\"text\":\"Alpha likes green tea.\",\"userId\":\"ann\",\"tags\":[\"food\"]}")
                .statusCode(200);
        call(ALPHA_KEY, "remember", "{\"text\":\"Alpha's office is in Lyon.\"}").statusCode(200);
        // keys other helpers' stores write under the same prefix
        redis.execute(Command.HSET, "engram:alpha:batch:job-1", "state", "done");
        redis.execute(Command.HSET, "engram:alpha:limit:rpm", "tokens", "3");
        redis.execute(Command.SET, "engram:alpha:something-new", "x");
        sessions.append(BETA, sessionId, Sessions.pair("hello", "hi"));
        call(BETA_KEY, "remember", "{\"text\":\"Beta likes coffee.\"}").statusCode(200);
        String conversation = "{\"sessionId\":\"" + sessionId
                + "\",\"conversation\":[{\"role\":\"user\",\"text\":\"I drink tea.\"}]}";
        call(ALPHA_KEY, "remember", conversation).statusCode(200);
        call(BETA_KEY, "remember", conversation).statusCode(200);
        redis.execute(Command.SET, "engram:alphabet:ltm:x", "a tenant whose name starts with 'alpha'");

        Set<String> alphaBefore = keys("engram:alpha:*");
        Set<String> others = new TreeSet<>(keys("engram:*"));
        others.removeAll(alphaBefore);
        long ltm = alphaBefore.stream()
                .filter(k -> k.startsWith("engram:alpha:ltm:"))
                .count();
        assertThat(ltm).isGreaterThanOrEqualTo(5);

        call(ADMIN_KEY, "tenant-erase", "{\"tenant\":\"alpha\"}")
                .statusCode(200)
                .body("tenant", is("alpha"))
                .body("erased.workingMemory", is(2))
                .body("erased.longTermMemory", is((int) ltm))
                .body("erased.batch", is(1))
                .body("erased.limits", is(1))
                // its stream and counts, and its entry in the cross-tenant list of queues with work
                .body("erased.promotion", is(3))
                .body("erased.other", is(1))
                .body("total", is(alphaBefore.size() + 1));

        assertThat(keys("engram:alpha:*")).isEmpty();
        assertThat(keys("engram:*")).isEqualTo(others).contains("engram:alphabet:ltm:x", "engram:promotion-tenants");
        // the queue no longer lists alpha as having work; beta's queue is untouched
        assertThat(redis.execute(Command.SMEMBERS, "engram:promotion-tenants").toString())
                .contains("beta")
                .doesNotContain("alpha");
        call(BETA_KEY, "session-get", "{\"sessionId\":\"" + sessionId + "\"}")
                .statusCode(200)
                .body("promotion.pending", is(1));
        // nothing is recalled from a warm cache either
        call(ALPHA_KEY, "recall", "{\"query\":\"green tea\",\"minScore\":0.0}")
                .statusCode(200)
                .body("hits", empty());
        call(BETA_KEY, "recall", "{\"query\":\"coffee\",\"k\":1}")
                .statusCode(200)
                .body("hits[0].text", is("Beta likes coffee."));
        // a second erase finds nothing
        call(ADMIN_KEY, "tenant-erase", "{\"tenant\":\"alpha\"}")
                .statusCode(200)
                .body("total", is(0));
    }
}
