package dev.engram.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.engram.memory.session.SessionStore;
import dev.engram.tenant.Tenant;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;

/** The checks every function's auth suite makes, over real HTTP (with {@link AuthProfile}'s keys). */
public final class AuthChecks {
    private AuthChecks() {}

    public static ValidatableResponse post(String key, String path, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Authorization", AuthProfile.bearer(key));
        }
        return request.when().post(path).then();
    }

    /** No key, a wrong key, a key not sent as Bearer, an operator key: 401, 401, 401, 403. */
    public static void refusesWithoutAValidKey(String path, String body) {
        post(null, path, body)
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("error", is("unauthorized"))
                .body("message", is("An API key is required: send 'Authorization: Bearer <key>'"));
        post(AuthProfile.WRONG_KEY, path, body).statusCode(401).body("error", is("unauthorized"));
        given().contentType(ContentType.JSON)
                .header("Authorization", AuthProfile.ALPHA_KEY)
                .body(body)
                .when()
                .post(path)
                .then()
                .statusCode(401)
                .body("message", is("The Authorization header must be 'Bearer <key>'"));
        post(AuthProfile.ADMIN_KEY, path, body).statusCode(403).body("error", is("forbidden"));
    }

    /**
     * {@code body} (a JSON object) with a fresh {@code sessionId}, sent with alpha's key, keeps one
     * exchange in alpha's session only — not in beta's nor in the default tenant's; the same id sent
     * with beta's key is beta's own session, and alpha's is untouched.
     */
    public static void keepsTheSessionInTheCallersTenant(SessionStore sessions, String path, String body) {
        String id = "auth-" + UUID.randomUUID();
        String withSession = body.substring(0, body.lastIndexOf('}')) + ",\"sessionId\":\"" + id + "\"}";
        post(AuthProfile.ALPHA_KEY, path, withSession).statusCode(200);
        assertThat(sessions.peek(AuthProfile.ALPHA, id).turns()).hasSize(2);
        assertThat(sessions.peek(AuthProfile.BETA, id).exists()).isFalse();
        assertThat(sessions.peek(Tenant.DEFAULT.id(), id).exists()).isFalse();
        post(AuthProfile.BETA_KEY, path, withSession).statusCode(200);
        assertThat(sessions.peek(AuthProfile.BETA, id).turns()).hasSize(2);
        assertThat(sessions.peek(AuthProfile.ALPHA, id).turns()).hasSize(2);
    }
}
