package dev.engram.functions.memory;

import static dev.engram.functions.memory.Sessions.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A bad sessionId is a 400 with a JSON body naming the problem, on both endpoints. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class MemoryBadInputTest {

    @ParameterizedTest
    @ValueSource(strings = {"session-get", "session-delete"})
    void emptySessionId(String function) {
        post(function, "{\"sessionId\":\"\"}")
                .statusCode(400)
                .contentType("application/json")
                .body("error", is("invalid_session_id"))
                .body("message", containsString("an empty string"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"session-get", "session-delete"})
    void sessionIdOf129Characters(String function) {
        post(function, "{\"sessionId\":\"" + "x".repeat(129) + "\"}")
                .statusCode(400)
                .body("error", is("invalid_session_id"))
                .body("message", containsString("129 characters"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "a*", "{a}", "é", "a\\nb"})
    void charactersOutsideTheSet(String id) {
        post("session-get", "{\"sessionId\":\"" + id + "\"}").statusCode(400).body("error", is("invalid_session_id"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"session-get", "session-delete"})
    void missingSessionId(String function) {
        post(function, "{}")
                .statusCode(400)
                .body("error", is("missing_field"))
                .body("message", containsString("sessionId"));
    }

    @Test
    void noBodyAtAll() {
        given().contentType("application/json")
                .when()
                .post("/session-get")
                .then()
                .statusCode(400)
                .body("error", notNullValue());
    }

    @Test
    void sessionIdIsNotAString() {
        post("session-get", "{\"sessionId\":42}").statusCode(400).body("error", is("invalid_json"));
        post("session-get", "{\"sessionId\":[\"a\"]}").statusCode(400).body("error", is("invalid_json"));
    }

    @Test
    void unknownFieldsAreRefusedNotIgnored() {
        post("session-get", "{\"sessionId\":\"a\",\"tenant\":\"other\"}")
                .statusCode(400)
                .body("error", is("invalid_json"))
                .body("message", containsString("tenant"));
        post("session-get", "{\"SESSIONID\":\"a\"}").statusCode(400).body("error", is("invalid_json"));
    }

    @Test
    void theLongestAndOddestValidIdsAreAccepted() {
        Sessions.get("x".repeat(128)).statusCode(404);
        Sessions.get("Az09._:-").statusCode(404);
    }
}
