package dev.engram.functions.summarize;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.models.Models;
import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A map-reduce summary's steps share one deadline ({@code engram.request.timeout}): a text five times
 * the context cannot be summarised in 400 ms: the request ends with 503 deadline_exceeded, and the steps
 * after the deadline are refused instead of run.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@TestProfile(SummarizeDeadlineTest.ShortDeadline.class)
class SummarizeDeadlineTest {
    static final int BUDGET_MS = 400;

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("engram.request.timeout", BUDGET_MS + "ms");
        }
    }

    @Inject
    Models models;

    @Test
    void theStepsShareOneDeadline() {
        String text = SummarizeAbstractiveTest.longText(models.get(), 5 * SummarizeAbstractiveTest.CONTEXT);
        double callsBefore = metric(
                "gen_ai_client_token_usage_count",
                "gen_ai_operation_name=\"summarize\"",
                "gen_ai_token_type=\"output\"");
        double rejectedBefore = metric(
                "engram_requests_rejected_total",
                "gen_ai_operation_name=\"summarize\"",
                "reason=\"deadline_exceeded\"");
        Response cut = given().contentType(ContentType.JSON)
                .body(Map.of("text", text, "maxTokens", 32))
                .post("/summarize");
        assertThat(cut.statusCode()).isEqualTo(503);
        assertThat(cut.jsonPath().getString("error")).isEqualTo("deadline_exceeded");
        assertThat(cut.jsonPath().getString("message")).contains("engram.request.timeout");
        assertThat(cut.header("Retry-After")).isNotBlank();
        // The text makes more than five map steps (a chunk is shorter than the context) and a reduce: had the
        // deadline been ignored, all of them would have run. How many end before the deadline depends only on the
        // machine's speed (splitting the text is not interrupted: on a busy machine it alone can outlast the
        // deadline); the steps after it are refused, so fewer than five ran.
        double calls = metric(
                        "gen_ai_client_token_usage_count",
                        "gen_ai_operation_name=\"summarize\"",
                        "gen_ai_token_type=\"output\"")
                - callsBefore;
        assertThat(calls).isLessThan(5.0);
        assertThat(metric(
                                "engram_requests_rejected_total",
                                "gen_ai_operation_name=\"summarize\"",
                                "reason=\"deadline_exceeded\"")
                        - rejectedBefore)
                .isEqualTo(1.0);
    }

    /** The sum of the Prometheus samples named {@code name} whose labels contain all of {@code labels}. */
    private static double metric(String name, String... labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            String sample = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
            if (java.util.Arrays.stream(labels).allMatch(sample::contains)) {
                sum += Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
