package dev.engram.functions.summarize;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Extractive summaries never touch the language model: they work while it cannot be loaded at all. */
@QuarkusTest
@TestProfile(SummarizeWithoutModelTest.NoModel.class)
class SummarizeWithoutModelTest {

    public static class NoModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("engram.model.path", "target/no-such-model");
        }
    }

    @Test
    void extractiveWorksAndAbstractiveIsA503() {
        String text =
                "The sun was hot. Lily went to swim in the lake. The water was cold. She swam to the little island and back.";
        Response extractive = given().contentType(ContentType.JSON)
                .body(Map.of("text", text, "mode", "extractive", "maxSentences", 2))
                .post("/summarize");
        assertThat(extractive.statusCode()).as(extractive.asString()).isEqualTo(200);
        String summary = extractive.jsonPath().getString("summary");
        assertThat(summary.split("(?<=\\.) ")).hasSize(2).allMatch(text::contains);

        Response abstractive =
                given().contentType(ContentType.JSON).body(Map.of("text", text)).post("/summarize");
        assertThat(abstractive.statusCode()).as(abstractive.asString()).isEqualTo(503);
        assertThat(abstractive.jsonPath().getString("error")).isEqualTo("model_unavailable");
        assertThat(abstractive.header("Retry-After")).isNotBlank();
    }
}
