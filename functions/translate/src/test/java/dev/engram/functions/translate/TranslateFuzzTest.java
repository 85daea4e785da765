package dev.engram.functions.translate;

import static io.restassured.RestAssured.given;

import dev.engram.testing.BadInputRun;
import dev.engram.testing.BadInputRun.ErrorShape;
import dev.engram.testing.BadInputs;
import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The bad-input corpus ({@link BadInputs}) against {@code /translate}: only 4xx, never a 5xx, still live afterwards. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class TranslateFuzzTest {
    static final String EXAMPLE = """
            {"text": "The cat sleeps.", "targetLanguage": "de", "sourceLanguage": "en"}""";

    @Test
    void translateRefusesEveryBadBody() {
        given().contentType("application/json")
                .body(EXAMPLE)
                .post("/translate")
                .then()
                .statusCode(200);
        BadInputRun.send("/translate", BadInputs.from(EXAMPLE).freeText("text").cases(), ErrorShape.ENGRAM);
    }
}
