package dev.engram.functions.memory;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Map;

/** HTTP helpers for the long-term memory endpoints. */
final class LongTerm {
    private LongTerm() {}

    static JsonPath call(String function, Map<String, ?> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/" + function)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String remember(Map<String, ?> body) {
        return call("remember", body).getString("id");
    }
}
