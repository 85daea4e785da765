package dev.engram.functions.generate;

import static dev.engram.testing.AuthProfile.ADMIN_KEY;
import static dev.engram.testing.AuthProfile.ALPHA;
import static dev.engram.testing.AuthProfile.ALPHA_KEY;
import static dev.engram.testing.AuthProfile.BETA;
import static dev.engram.testing.AuthProfile.BETA_KEY;
import static dev.engram.testing.AuthProfile.WRONG_KEY;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import dev.engram.testing.AuthProfile;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.http.Method;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * generate's three endpoints with authentication on: {@code POST /generate}, {@code POST
 * /v1/chat/completions}, {@code GET /v1/models}. No key or a wrong key is 401 (the /v1 ones in
 * OpenAI's error body), a session belongs to the tenant whose key wrote it, and a tenant's token cap
 * holds on both surfaces.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(GenerateAuthTest.BetaCapped.class)
class GenerateAuthTest {
    public static class BetaCapped extends AuthProfile {
        @Override
        protected Map<String, String> extra() {
            return Map.of("engram.limits.tenant.beta.max-tokens", "8");
        }
    }

    static final String GENERATE = "{\"prompt\":\"Once upon a time\",\"maxTokens\":4}";
    static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":4}";

    @Inject
    SessionStore sessions;

    static ValidatableResponse call(String key, Method method, String path, String body) {
        var request = given().contentType(ContentType.JSON);
        if (body != null) {
            request.body(body);
        }
        if (key != null) {
            request.header("Authorization", AuthProfile.bearer(key));
        }
        return request.when().request(method, path).then();
    }

    @Test
    void onlyAnOperatorKeyDrainsThePromotionQueue() {
        call(null, Method.POST, "/memory-promote", "{}").statusCode(401).body("error", is("unauthorized"));
        call(ALPHA_KEY, Method.POST, "/memory-promote", "{}").statusCode(403).body("error", is("forbidden"));
        call(ADMIN_KEY, Method.POST, "/memory-promote", "{\"max\":0}")
                .statusCode(400)
                .body("error", is("out_of_range"));
        call(ADMIN_KEY, Method.POST, "/memory-promote", "{\"max\":2,\"extra\":1}")
                .statusCode(400)
                .body("error", is("invalid_json"));
        call(ADMIN_KEY, Method.POST, "/memory-promote", "{}").statusCode(200).body("deadLettered", is(0));
    }

    @Test
    void everyEndpointNeedsAValidKey() {
        call(null, Method.POST, "/generate", GENERATE)
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("error", is("unauthorized"));
        call(WRONG_KEY, Method.POST, "/generate", GENERATE).statusCode(401).body("error", is("unauthorized"));
        for (String[] v1 : new String[][] {{"POST", "/v1/chat/completions", CHAT}, {"GET", "/v1/models", null}}) {
            Method method = Method.valueOf(v1[0]);
            call(null, method, v1[1], v1[2])
                    .statusCode(401)
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("error.code", is("unauthorized"))
                    .body("error.type", is("invalid_request_error"));
            call(WRONG_KEY, method, v1[1], v1[2]).statusCode(401).body("error.code", is("unauthorized"));
            call(ADMIN_KEY, method, v1[1], v1[2]).statusCode(403).body("error.code", is("forbidden"));
        }
        call(ALPHA_KEY, Method.POST, "/generate", GENERATE).statusCode(200).body("usage.completionTokens", is(4));
        call(ALPHA_KEY, Method.POST, "/v1/chat/completions", CHAT)
                .statusCode(200)
                .body("usage.completion_tokens", is(4));
        call(BETA_KEY, Method.GET, "/v1/models", null).statusCode(200).body("data[0].id", is("stories260K"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aSessionBelongsToTheTenantWhoseKeyWroteIt() {
        String body = "{\"sessionId\":\"shared-name\",\"prompt\":\"Once upon a time\",\"maxTokens\":4}";
        call(ALPHA_KEY, Method.POST, "/generate", body).statusCode(200).body("memory.turns", is(2));
        call(ALPHA_KEY, Method.POST, "/generate", body).statusCode(200).body("memory.turns", is(4));
        // beta's session of the same name is a different one: it starts empty and alpha's turns are not in its prompt
        call(BETA_KEY, Method.POST, "/generate", body.replace("}", ",\"echo\":true}"))
                .statusCode(200)
                .body("memory.turns", is(2))
                .body("prompt", is("Once upon a time"));
        assertThat(sessions.peek(ALPHA, "shared-name").turns()).hasSize(4);
        assertThat(sessions.peek(BETA, "shared-name").turns())
                .extracting(Turn::role)
                .containsExactly("user", "assistant");
    }

    @Test
    void aTenantsTokenCapHoldsOnBothSurfaces() {
        call(BETA_KEY, Method.POST, "/generate", "{\"prompt\":\"Once upon a time\",\"maxTokens\":9}")
                .statusCode(400)
                .body("error", is("token_limit"))
                .body("message", is("'maxTokens' may be at most 8 for this tenant, got 9"));
        call(BETA_KEY, Method.POST, "/generate", "{\"prompt\":\"Once upon a time\",\"maxTokens\":8}")
                .statusCode(200);
        call(
                        BETA_KEY,
                        Method.POST,
                        "/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":20}")
                .statusCode(400)
                .body("error.code", is("token_limit"));
        // alpha has no cap beyond the model's context
        call(ALPHA_KEY, Method.POST, "/generate", "{\"prompt\":\"Once upon a time\",\"maxTokens\":20}")
                .statusCode(200);
    }

    @Test
    void promptsAndMemoryContentsAreNotLoggedAtInfoOrAbove() {
        String secret = "zebra-secret-8812";
        java.util.List<String> logged = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.INFO.intValue()) {
                    String text = new java.util.logging.SimpleFormatter().formatMessage(record);
                    Throwable thrown = record.getThrown();
                    logged.add(text + (thrown == null ? "" : " " + thrown));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(handler);
        try {
            call(
                            ALPHA_KEY,
                            Method.POST,
                            "/generate",
                            "{\"sessionId\":\"log-check\",\"useMemory\":true,\"prompt\":\"Once " + secret
                                    + "\",\"maxTokens\":4}")
                    .statusCode(200);
            call(
                            ALPHA_KEY,
                            Method.POST,
                            "/v1/chat/completions",
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"" + secret + "\"}],\"max_tokens\":2}")
                    .statusCode(200);
            call(ALPHA_KEY, Method.POST, "/generate", "{\"prompt\":\"" + secret + "\",\"maxTokens\":\"x\"}")
                    .statusCode(400);
            call(ALPHA_KEY, Method.POST, "/generate", "{\"prompt\":\"" + secret + "\"")
                    .statusCode(400);
            // a Redis outage is logged (WARN) while a session request fails: still without the prompt
            dev.engram.testing.RedisTestResource.server().stop();
            try {
                call(
                                ALPHA_KEY,
                                Method.POST,
                                "/generate",
                                "{\"sessionId\":\"log-check\",\"prompt\":\"" + secret + "\",\"maxTokens\":2}")
                        .statusCode(503);
            } finally {
                dev.engram.testing.RedisTestResource.server().start();
            }
        } finally {
            root.removeHandler(handler);
        }
        assertThat(logged)
                .as("the outage was logged, so the handler saw the application's records")
                .isNotEmpty();
        assertThat(logged).noneMatch(line -> line.contains(secret));
    }
}
