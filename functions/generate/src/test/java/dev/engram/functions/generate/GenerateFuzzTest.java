package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;

import dev.engram.testing.BadInputRun;
import dev.engram.testing.BadInputRun.ErrorShape;
import dev.engram.testing.BadInputs;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus ({@link BadInputs}: over a hundred bodies derived from one valid request) against
 * {@code /generate} and {@code /v1/chat/completions}: only 4xx with an error body, never a 5xx, and the
 * process is still live afterwards.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class GenerateFuzzTest {
    static final String GENERATE = """
            {"prompt": "Once upon a time", "system": "A story.", "sessionId": "fuzz-generate", "maxTokens": 4,
             "temperature": 0.5, "topP": 0.9, "topK": 5, "seed": 7, "stop": ["."], "useMemory": false}""";
    /** Every shape of message text: system content, a plain string, text parts. */
    static final String CHAT = """
            {"model": "stories260K", "messages": [{"role": "system", "content": "Tell a story."},
             {"role": "user", "content": "Once"}, {"role": "assistant", "content": " upon"},
             {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": " time"}]}], "max_tokens": 4,
             "temperature": 0.5, "top_p": 0.9, "top_k": 5, "seed": 7, "stop": ["."], "user": "fuzz"}""";

    @Test
    void generateRefusesEveryBadBody() {
        given().contentType("application/json")
                .body(GENERATE)
                .post("/generate")
                .then()
                .statusCode(200);
        BadInputRun.send(
                "/generate",
                BadInputs.from(GENERATE)
                        .freeText("prompt", "system")
                        .lenient("seed") // any long is a seed
                        .cases(),
                ErrorShape.ENGRAM);
    }

    @Test
    void chatCompletionsRefusesEveryBadBody() {
        given().contentType("application/json")
                .body(CHAT)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200);
        BadInputRun.send(
                "/v1/chat/completions",
                BadInputs.from(CHAT)
                        .lenient(
                                "seed", "user", "model",
                                "stop") // any seed; user and model are not checked; stop may be one string
                        .cases(),
                ErrorShape.OPENAI);
    }
}
