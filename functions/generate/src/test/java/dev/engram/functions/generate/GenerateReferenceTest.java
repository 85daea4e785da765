package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.testing.ModelTestResource;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Greedy output through real HTTP equals llama2.c's reference continuations, token for token. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class GenerateReferenceTest {

    @Test
    void everyReferenceCaseMatches() {
        for (ReferenceCases.Case c : ReferenceCases.load(TestModels.stories260K())) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("prompt", c.prompt(), "temperature", 0, "maxTokens", c.maxTokens()))
                    .when()
                    .post("/generate")
                    .then()
                    .statusCode(200)
                    .body("text", equalTo(c.text()))
                    .body("finishReason", equalTo(c.stopped_on_bos() ? "stop" : "length"))
                    .body("usage.completionTokens", equalTo(c.token_ids().length))
                    .body("usage.promptTokens", equalTo(c.prompt_token_ids().length))
                    .body("model", equalTo("stories260K"));
        }
    }
}
