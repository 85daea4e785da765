package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import dev.engram.tenant.Tenant;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** generate with a sessionId: the prompt carries earlier turns, the exchange is stored, outages are 503s. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class GenerateSessionTest {
    @Inject
    SessionStore sessions;

    static JsonPath turn(String sessionId, String prompt) {
        return GenerateSamplingTest.generate("sessionId", sessionId, "prompt", prompt, "maxTokens", 12, "echo", true);
    }

    @Test
    void threeTurnsSeeTheEarlierOnesAndAreStoredInOrder() {
        JsonPath first = turn("three-turns", "Once upon a time");
        JsonPath second = turn("three-turns", "The dog");
        JsonPath third = turn("three-turns", "Lily wanted to");

        String seen = third.getString("prompt");
        assertThat(seen).contains("Once upon a time" + first.getString("text"));
        assertThat(seen).contains("The dog" + second.getString("text"));
        assertThat(seen).endsWith("Lily wanted to");
        assertThat(first.getString("prompt")).isEqualTo("Once upon a time");
        assertThat(third.getInt("memory.turns")).isEqualTo(6);
        assertThat(third.getBoolean("memory.summarized")).isFalse();

        Session stored = sessions.peek(Tenant.DEFAULT.id(), "three-turns");
        assertThat(stored.turns())
                .extracting(Turn::role)
                .containsExactly("user", "assistant", "user", "assistant", "user", "assistant");
        assertThat(stored.turns())
                .extracting(Turn::text)
                .containsExactly(
                        "Once upon a time",
                        first.getString("text"),
                        "The dog",
                        second.getString("text"),
                        "Lily wanted to",
                        third.getString("text"));
    }

    @Test
    void withoutSessionNothingIsRememberedAndNoMemoryIsReported() {
        JsonPath answer = GenerateSamplingTest.generate("prompt", "The dog", "maxTokens", 5, "echo", true);
        assertThat(answer.getString("memory")).isNull();
        assertThat(answer.getString("prompt")).isEqualTo("The dog");
        assertThat(GenerateSamplingTest.generate("prompt", "The dog", "maxTokens", 5)
                        .getString("prompt"))
                .as("the prompt is in the answer only when asked for")
                .isNull();
    }

    @Test
    void invalidSessionIdsAre400() {
        for (String bad : List.of("", "x".repeat(129), "has space", "a/b", "{tag}")) {
            Response response = given().contentType(ContentType.JSON)
                    .body(Map.of("prompt", "a", "sessionId", bad))
                    .post("/generate");
            assertThat(response.statusCode()).as("sessionId '%s'", bad).isEqualTo(400);
            assertThat(response.jsonPath().getString("error")).isEqualTo("invalid_session_id");
        }
    }

    @Test
    void redisOutageIsA503AndMemoryComesBackWithoutRestart() throws InterruptedException {
        turn("outage", "Once upon a time");
        RedisTestResource.server().kill();
        try {
            Response down = given().contentType(ContentType.JSON)
                    .body(Map.of("prompt", "The dog", "sessionId", "outage", "maxTokens", 4))
                    .post("/generate");
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.jsonPath().getString("error")).isEqualTo("memory_unavailable");
            assertThat(down.header("Retry-After")).isNotBlank();
            // A request without memory does not need Redis.
            GenerateSamplingTest.generate("prompt", "The dog", "maxTokens", 4);
        } finally {
            RedisTestResource.server().start();
        }
        Response back = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            back = given().contentType(ContentType.JSON)
                    .body(Map.of("prompt", "The dog", "sessionId", "outage", "maxTokens", 4))
                    .post("/generate");
            if (back.statusCode() == 200) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(back.statusCode()).as(back.asString()).isEqualTo(200);
        // The AOF kept the turn acknowledged before the kill.
        assertThat(back.jsonPath().getInt("memory.turns")).isEqualTo(4);
    }
}
