package dev.engram.functions.memory;

import static io.restassured.RestAssured.given;

import dev.engram.memory.session.Turn;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.UUID;

/** Small helpers shared by the memory tests. */
final class Sessions {
    private Sessions() {}

    static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    static List<Turn> pair(String question, String answer) {
        long now = System.currentTimeMillis();
        return List.of(Turn.user(question, question.length(), now), Turn.assistant(answer, answer.length(), now));
    }

    static ValidatableResponse post(String function, String body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/" + function)
                .then();
    }

    static ValidatableResponse get(String sessionId) {
        return post("session-get", "{\"sessionId\":\"" + sessionId + "\"}");
    }

    static ValidatableResponse delete(String sessionId) {
        return post("session-delete", "{\"sessionId\":\"" + sessionId + "\"}");
    }
}
