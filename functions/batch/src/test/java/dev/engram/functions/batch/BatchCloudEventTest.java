package dev.engram.functions.batch;

import static dev.engram.testing.Events.binary;
import static dev.engram.testing.Events.structured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Batch jobs started by CloudEvents: a batch-submit event and a storage object-finalized event; the
 * event's id is the idempotency key, so a redelivered event starts no second job.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "knative",
        disabledReason = "runs in the -Dengram.binding=knative build")
class BatchCloudEventTest {
    /** The "bucket" is a directory of the tenant's below the batch roots. */
    static final Path BUCKET = Batch.dir("batch-events");

    @AfterAll
    static void clean() {
        Batch.delete(BUCKET);
    }

    static String classify(String id) {
        return Batch.line(
                id, "classify", Map.of("text", "The team won the cup.", "labels", Batch.LABELS, "mode", "embedding"));
    }

    @Test
    void aSubmitEventDeliveredTwiceStartsOneJob() {
        Path input = Batch.write(BUCKET, "submit.jsonl", List.of(classify("a"), classify("b"), classify("c")));
        String data = "{\"input\":\"" + input + "\"}";
        String jobId = binary("batch-submit", "ev-submit-1", data)
                .then()
                .statusCode(200)
                .header("ce-type", "batch-submit.output")
                .header("ce-correlationid", "ev-submit-1")
                .body("total", equalTo(3))
                .extract()
                .path("jobId");
        binary("batch-submit", "ev-submit-1", data)
                .then()
                .statusCode(200)
                .body("jobId", equalTo(jobId))
                .body("duplicate", equalTo(true));
        structured("batch-submit", "ev-submit-1", Map.of("input", input.toString()))
                .then()
                .statusCode(200)
                .body("data.jobId", equalTo(jobId))
                .body("data.duplicate", equalTo(true));
        JsonPath done = Batch.awaitCompleted(jobId);
        Batch.assertEachCustomIdOnce(Batch.output(Batch.results(done)), 3);
    }

    @Test
    void aStorageObjectFinalizedEventStartsAJobOnThatObject() {
        Path input = Batch.write(BUCKET.resolve("day1"), "tickets.jsonl", List.of(classify("t-1"), classify("t-2")));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("kind", "storage#object");
        object.put("bucket", "batch-events");
        object.put("name", "day1/tickets.jsonl");
        object.put("contentType", "application/x-ndjson");
        object.put("size", "123");
        String jobId = structured("google.cloud.storage.object.v1.finalized", "ev-object-1", object)
                .then()
                .statusCode(200)
                .body("type", equalTo("batch-object.output"))
                .body("correlationid", equalTo("ev-object-1"))
                .body("data.input", equalTo("batch-events/day1/tickets.jsonl"))
                .extract()
                .path("data.jobId");
        structured("google.cloud.storage.object.v1.finalized", "ev-object-1", object)
                .then()
                .statusCode(200)
                .body("data.jobId", equalTo(jobId))
                .body("data.duplicate", equalTo(true));
        JsonPath done = Batch.awaitCompleted(jobId);
        assertThat(done.getString("output")).isEqualTo("batch-events/day1/tickets.jsonl.results.jsonl");
        assertThat(Batch.results(done)).isEqualTo(Path.of(input + ".results.jsonl"));
        Batch.assertEachCustomIdOnce(Batch.output(Batch.results(done)), 2);
    }

    @Test
    void badEventsAreErrorEvents() {
        binary("batch-submit", "ev-bad-1", "{}")
                .then()
                .statusCode(400)
                .header("ce-type", "batch-submit.error")
                .header("ce-correlationid", "ev-bad-1")
                .body("error", equalTo("missing_field"));
        structured(
                        "google.cloud.storage.object.v1.finalized",
                        "ev-bad-2",
                        Map.of("bucket", "batch-events", "name", "x.results.jsonl"))
                .then()
                .statusCode(400)
                .body("type", equalTo("batch-object.error"))
                .body("data.error", equalTo("not_batch_input"));
        structured(
                        "google.cloud.storage.object.v1.finalized",
                        "ev-bad-3",
                        Map.of("bucket", "batch-events", "name", "../../pom.xml"))
                .then()
                .statusCode(400)
                .body("data.error", equalTo("path_not_allowed"));
    }
}
