package dev.engram.functions.classify;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.Map;

/** POSTs a classify request built from name/value pairs and expects a 200. */
final class Classify {
    private Classify() {}

    static JsonPath post(Object... fields) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/classify")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
