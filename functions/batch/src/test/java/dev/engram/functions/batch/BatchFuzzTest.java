package dev.engram.functions.batch;

import static io.restassured.RestAssured.given;

import dev.engram.testing.BadInputRun;
import dev.engram.testing.BadInputRun.ErrorShape;
import dev.engram.testing.BadInputs;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The bad-input corpus ({@link BadInputs}) against the batch endpoints, with every hostile file and URL
 * as input and output: only 4xx, never a 5xx, still live afterwards.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class BatchFuzzTest {
    static final Path DIR = Batch.dir("batch-fuzz-test");

    @AfterAll
    static void clean() {
        Batch.delete(DIR);
    }

    @Test
    void batchEndpointsRefuseEveryBadBody() {
        Path input = Batch.write(
                DIR,
                "fuzz.jsonl",
                List.of(Batch.line(
                        "f-1",
                        "classify",
                        Map.of("text", "The team won the cup.", "labels", Batch.LABELS, "mode", "embedding"))));
        String submit = "{\"input\": \"" + input.toAbsolutePath()
                + "\", \"output\": \"batch-fuzz-test/fuzz.out.jsonl\", " + "\"idempotencyKey\": \"fuzz-submit\"}";
        String jobId = given().contentType("application/json")
                .body(submit)
                .post("/batch-submit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("jobId");
        List<String> anywhere = new ArrayList<>(BadInputs.HOSTILE_PATHS);
        anywhere.addAll(BadInputs.HOSTILE_URLS);
        BadInputRun.send(
                "/batch-submit",
                BadInputs.from(submit)
                        .lenient("idempotencyKey")
                        .hostile("input", anywhere) // outside the tenant's directory, special files, URLs (off here)
                        .hostile("output", BadInputs.HOSTILE_PATHS)
                        .cases(),
                ErrorShape.ENGRAM);

        String job = "{\"jobId\": \"" + jobId + "\"}";
        given().contentType("application/json")
                .body(job)
                .post("/batch-status")
                .then()
                .statusCode(200);
        BadInputRun.send("/batch-status", BadInputs.from(job).cases(), ErrorShape.ENGRAM);
        BadInputRun.send("/batch-cancel", BadInputs.from(job).cases(), ErrorShape.ENGRAM);
        // A "may be valid" cancel case can stop the job: let it settle either way before the app stops.
        Batch.await(
                jobId,
                status -> List.of("completed", "cancelled").contains(status.getString("state")),
                Duration.ofMinutes(2));
    }
}
