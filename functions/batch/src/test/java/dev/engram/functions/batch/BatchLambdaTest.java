package dev.engram.functions.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.engram.batch.BatchJobs;
import dev.engram.batch.BatchStatus;
import dev.engram.tenant.Tenant;
import dev.engram.testing.Events;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * batch-submit as a Lambda (quarkus.funqy.export=batch-submit) through the mock event server: a direct
 * invocation, and an SQS batch whose good message starts its job and whose malformed one alone is reported.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(BatchLambdaTest.ExportSubmit.class)
@EnabledIfSystemProperty(
        named = "engram.binding",
        matches = "lambda",
        disabledReason = "runs in the -Dengram.binding=lambda build")
class BatchLambdaTest {
    static final Path DIR = Batch.dir("batch-lambda-test");

    public static class ExportSubmit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.funqy.export", "batch-submit");
        }
    }

    @Inject
    BatchJobs jobs;

    @AfterAll
    static void clean() {
        Batch.delete(DIR);
    }

    static Path input(String name) {
        return Batch.write(
                DIR,
                name,
                List.of(Batch.line(
                        "x",
                        "classify",
                        Map.of("text", "The team won the cup.", "labels", Batch.LABELS, "mode", "embedding"))));
    }

    static BatchStatus await(BatchJobs jobs, String jobId) {
        for (int i = 0; i < 600; i++) {
            BatchStatus status = jobs.status(Tenant.DEFAULT.id(), jobId);
            if (status.state().equals(BatchStatus.COMPLETED)) {
                return status;
            }
            Batch.sleep(100);
        }
        throw new AssertionError("Job " + jobId + " did not complete");
    }

    @Test
    void directInvocationStartsAJob() {
        Path input = input("direct.jsonl");
        String jobId = given().contentType("application/json")
                .body(Map.of("input", input.toString(), "idempotencyKey", "msg-d1"))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .extract()
                .path("jobId");
        assertThat(await(jobs, jobId).written()).isEqualTo(1);
        given().contentType("application/json")
                .body(Map.of("input", input.toString(), "idempotencyKey", "msg-d1"))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("jobId", equalTo(jobId))
                .body("duplicate", equalTo(true));
    }

    @Test
    void sqsBatchStartsTheGoodJobsAndReportsTheMalformedMessage() {
        Path input = input("sqs.jsonl");
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("m-1", "{\"input\":\"" + input + "\",\"jobId\":\"sqs-job-1\",\"idempotencyKey\":\"m-1\"}");
        bodies.put("m-2", "{\"input\":");
        bodies.put(
                "m-3",
                "{\"input\":\"" + input + "\",\"output\":\""
                        + DIR.toAbsolutePath().resolve("sqs-3.jsonl") + "\",\"jobId\":\"sqs-job-3\"}");
        given().contentType("application/json")
                .body(Events.sqs(bodies))
                .when()
                .post()
                .then()
                .statusCode(200)
                .body("batchItemFailures.itemIdentifier", contains("m-2"));
        assertThat(await(jobs, "sqs-job-1").written()).isEqualTo(1);
        assertThat(await(jobs, "sqs-job-3").written()).isEqualTo(1);
    }
}
