package dev.engram.functions.classify;

import static io.restassured.RestAssured.given;

import dev.engram.testing.BadInputRun;
import dev.engram.testing.BadInputRun.ErrorShape;
import dev.engram.testing.BadInputs;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The bad-input corpus ({@link BadInputs}) against {@code /classify}: only 4xx, never a 5xx, still live afterwards. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class ClassifyFuzzTest {
    static final String EXAMPLE = """
            {"text": "Heavy rain is expected tomorrow.", "labels": ["weather", "sports"], "multiLabel": false,
             "mode": "embedding", "threshold": 0.1, "sessionId": "fuzz-classify"}""";

    @Test
    void classifyRefusesEveryBadBody() {
        given().contentType("application/json")
                .body(EXAMPLE)
                .post("/classify")
                .then()
                .statusCode(200);
        BadInputRun.send(
                "/classify",
                BadInputs.from(EXAMPLE)
                        .freeText("text")
                        .lenient("labels") // a label may be a string or {name, description}
                        .cases(),
                ErrorShape.ENGRAM);
    }
}
