package dev.engram.functions.summarize;

import static io.restassured.RestAssured.given;

import dev.engram.testing.BadInputRun;
import dev.engram.testing.BadInputRun.ErrorShape;
import dev.engram.testing.BadInputs;
import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The bad-input corpus ({@link BadInputs}) against {@code /summarize}: only 4xx, never a 5xx, still live afterwards. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class SummarizeFuzzTest {
    static final String EXAMPLE = """
            {"text": "Tom has a red ball. He plays with it every day. The ball is fun. Tom likes his dog too.",
             "mode": "extractive", "maxSentences": 2, "style": "paragraph", "focus": "ball"}""";
    static final String ABSTRACTIVE = """
            {"text": "Tom has a red ball. He plays with it every day.", "mode": "abstractive", "maxTokens": 4}""";

    @Test
    void extractiveSummarizeRefusesEveryBadBody() {
        given().contentType("application/json")
                .body(EXAMPLE)
                .post("/summarize")
                .then()
                .statusCode(200);
        BadInputRun.send(
                "/summarize", BadInputs.from(EXAMPLE).freeText("text", "focus").cases(), ErrorShape.ENGRAM);
    }

    @Test
    void abstractiveSummarizeRefusesEveryBadBody() {
        given().contentType("application/json")
                .body(ABSTRACTIVE)
                .post("/summarize")
                .then()
                .statusCode(200);
        BadInputRun.send(
                "/summarize",
                BadInputs.from(ABSTRACTIVE).freeText("text").seed(7).cases(),
                ErrorShape.ENGRAM);
    }
}
