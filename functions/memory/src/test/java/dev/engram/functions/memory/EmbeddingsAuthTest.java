package dev.engram.functions.memory;

import static dev.engram.testing.AuthProfile.ALPHA_KEY;
import static dev.engram.testing.AuthProfile.WRONG_KEY;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.engram.testing.AuthProfile;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** {@code /v1/embeddings} with authentication on: a tenant's key embeds, no key or a wrong one is 401 in OpenAI's shape. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(AuthProfile.class)
class EmbeddingsAuthTest {

    @Test
    void onlyAKeyedCallerEmbeds() {
        String body = "{\"input\": \"The gate code is 4711.\"}";
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/embeddings")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"engram\"")
                .body("error.code", equalTo("unauthorized"));
        given().header("Authorization", "Bearer " + WRONG_KEY)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/embeddings")
                .then()
                .statusCode(401)
                .body("error.type", equalTo("invalid_request_error"));
        given().header("Authorization", "Bearer " + ALPHA_KEY)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/v1/embeddings")
                .then()
                .statusCode(200)
                .body("data[0].embedding", hasSize(384));
    }
}
