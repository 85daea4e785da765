package dev.engram.functions.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Bad lines become error lines and the job completes; duplicate submissions start one job; cancel
 * stops after the line in flight and a resume finishes the job; input from a Redis stream.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class BatchLinesTest {
    static final Path DIR = Batch.dir("batch-lines-test");

    @Inject
    RedisDataSource redis;

    @AfterAll
    static void clean() {
        Batch.delete(DIR);
    }

    static String classify(String id) {
        return Batch.line(
                id, "classify", Map.of("text", "The team won the cup.", "labels", Batch.LABELS, "mode", "embedding"));
    }

    @Test
    void malformedOversizeAndDuplicateLinesBecomeErrorLinesAndTheJobCompletes() {
        List<String> lines = List.of(
                classify("good-1"),
                "{\"customId\": \"broken\", \"function\": ", // not JSON
                "[1, 2, 3]", // not an object
                Batch.line("unknown-fn", "summarise", Map.of("text", "x")), // no such function
                Batch.line("bad-body", "generate", Map.of("prompt", "Hi", "max_tokens", 4)), // unknown field in body
                Batch.line(
                        "bad-range", "generate", Map.of("prompt", "Hi", "maxTokens", -1)), // the function's own check
                "{\"function\": \"generate\", \"body\": {\"prompt\": \"Hi\"}}", // no customId
                "{\"customId\": \"extra\", \"function\": \"generate\", \"body\": {\"prompt\": \"Hi\"}, \"x\": 1}",
                Batch.line(
                        "big", "classify", Map.of("text", "a".repeat(5000), "labels", Batch.LABELS)), // over 4096 bytes
                classify("good-1"), // duplicate customId
                "", // blank: not a line
                classify("good-2"));
        Path input = Batch.write(DIR, "bad.jsonl", lines);
        double okBefore = linesCounted("ok"), errorBefore = linesCounted("error");
        String jobId = Batch.submit(Map.of("input", input.toString())).getString("jobId");
        JsonPath done = Batch.awaitCompleted(jobId);
        assertThat(done.getInt("total")).isEqualTo(11);
        assertThat(done.getInt("failed")).isEqualTo(9);
        // Batch progress in the Prometheus output: every line the runner finished, by status.
        assertThat(linesCounted("ok") - okBefore).isEqualTo(2);
        assertThat(linesCounted("error") - errorBefore).isEqualTo(9);

        List<JsonNode> output = Batch.output(Batch.results(done));
        assertThat(output).hasSize(11);
        Map<Integer, JsonNode> byLine =
                output.stream().collect(Collectors.toMap(l -> l.get("line").asInt(), l -> l));
        assertThat(byLine.keySet()).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(byLine.get(1).get("status").asText()).isEqualTo("ok");
        assertThat(byLine.get(1).get("response").get("label").asText()).isEqualTo("sports");
        assertThat(byLine.get(11).get("customId").asText()).isEqualTo("good-2");
        assertThat(byLine.get(11).get("status").asText()).isEqualTo("ok");
        assertError(byLine.get(2), null, "invalid_json");
        assertError(byLine.get(3), null, "invalid_line");
        assertError(byLine.get(4), "unknown-fn", "unknown_function");
        assertError(byLine.get(5), "bad-body", "invalid_json");
        assertThat(byLine.get(5).get("error").get("message").asText()).contains("max_tokens");
        assertError(byLine.get(6), "bad-range", "out_of_range");
        assertError(byLine.get(7), null, "missing_field");
        assertError(byLine.get(8), "extra", "invalid_line");
        assertError(byLine.get(9), "big", "line_too_long");
        assertThat(byLine.get(9).get("error").get("message").asText()).contains("4096");
        assertError(byLine.get(10), "good-1", "duplicate_custom_id");
        assertThat(byLine.get(10).get("error").get("message").asText()).contains("line 1");
    }

    /** {@code engram_batch_lines_total{status=...}} from {@code /q/metrics} (0 before the first line). */
    private static double linesCounted(String status) {
        String prefix = "engram_batch_lines_total{status=\"" + status + "\"";
        return given().get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static void assertError(JsonNode result, String customId, String code) {
        assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("error");
        assertThat(
                        result.path("customId").isMissingNode()
                                ? null
                                : result.get("customId").asText())
                .isEqualTo(customId);
        assertThat(result.get("error").get("error").asText())
                .as(result.toString())
                .isEqualTo(code);
        assertThat(result.has("response")).isFalse();
    }

    @Test
    void theSameEventTwiceStartsOneJob() {
        Path input = Batch.write(DIR, "twice.jsonl", List.of(classify("a"), classify("b")));
        JsonPath first = Batch.submit(Map.of("input", input.toString(), "idempotencyKey", "event-42"));
        JsonPath second = Batch.submit(Map.of("input", input.toString(), "idempotencyKey", "event-42"));
        assertThat(second.getString("jobId")).isEqualTo(first.getString("jobId"));
        assertThat(first.getString("duplicate")).isNull();
        assertThat(second.getBoolean("duplicate")).isTrue();
        JsonPath done = Batch.awaitCompleted(first.getString("jobId"));
        Batch.assertEachCustomIdOnce(Batch.output(Batch.results(done)), 2);
        // a different event is a different job
        assertThat(Batch.submit(Map.of("input", input.toString(), "idempotencyKey", "event-43"))
                        .getString("jobId"))
                .isNotEqualTo(first.getString("jobId"));
    }

    @Test
    void cancelStopsAfterTheLineInFlightAndResumeFinishes() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add(Batch.line(
                    "g-" + i, "generate", Map.of("prompt", "Once upon a time", "maxTokens", 48, "temperature", 0)));
        }
        Path input = Batch.write(DIR, "cancel.jsonl", lines);
        String jobId = Batch.submit(Map.of("input", input.toString())).getString("jobId");
        Batch.await(jobId, s -> s.getInt("done") >= 3, Duration.ofMinutes(2));
        JsonPath cancelled = Batch.post("batch-cancel", Map.of("jobId", jobId), 200);
        assertThat(cancelled.getString("state")).isEqualTo("cancelled");
        int atCancel = cancelled.getInt("done");
        // the line in flight may still land, and so may the one before it if its commit was still on its way to
        // disk when the cancel was counted (commits are not waited for); then nothing more
        Batch.sleep(2000);
        JsonPath settled = Batch.status(jobId);
        Batch.sleep(1500);
        JsonPath later = Batch.status(jobId);
        assertThat(later.getString("state")).isEqualTo("cancelled");
        assertThat(later.getInt("done"))
                .isBetween(atCancel, atCancel + 2)
                .isEqualTo(settled.getInt("done"))
                .isLessThan(40);
        assertThat(later.getInt("written")).isEqualTo(later.getInt("done"));
        assertThat(later.getString("etaSeconds")).isNull();
        assertThat(Batch.output(Batch.results(later))).hasSize(later.getInt("done"));

        JsonPath resumed = Batch.submit(Map.of("jobId", jobId));
        assertThat(resumed.getString("state")).isEqualTo("running");
        JsonPath done = Batch.awaitCompleted(jobId);
        assertThat(done.getInt("done")).isEqualTo(40);
        List<JsonNode> output = Batch.output(Batch.results(done));
        Batch.assertEachCustomIdOnce(output, 40);
        assertThat(output.stream()
                        .map(l -> l.get("response").get("text").asText())
                        .distinct())
                .hasSize(1);
    }

    @Test
    void inputFromARedisStreamWritesBelowTheTenantsDirectory() {
        String stream = "engram:default:batch:input:tickets";
        for (int i = 1; i <= 4; i++) {
            redis.stream(String.class).xadd(stream, Map.of("line", classify("s-" + i)));
        }
        JsonPath done = Batch.awaitCompleted(
                Batch.submit(Map.of("inputStream", "tickets", "output", "batch-lines-test/from-stream.jsonl"))
                        .getString("jobId"));
        assertThat(done.getInt("total")).isEqualTo(4);
        assertThat(done.getString("output")).isEqualTo("batch-lines-test/from-stream.jsonl");
        Batch.assertEachCustomIdOnce(Batch.output(DIR.resolve("from-stream.jsonl")), 4);
        assertThat(Files.exists(DIR.resolve("from-stream.summary.json"))).isTrue();
        // no output named: <jobId>.results.jsonl in the tenant's directory
        JsonPath unnamed = Batch.awaitCompleted(
                Batch.submit(Map.of("inputStream", "tickets")).getString("jobId"));
        assertThat(unnamed.getString("output")).isEqualTo(unnamed.getString("jobId") + ".results.jsonl");
        Batch.assertEachCustomIdOnce(Batch.output(Batch.results(unnamed)), 4);
        Batch.deleteResults(unnamed);
    }

    @Test
    void badRequestsAre4xxNamingTheProblem() throws Exception {
        Path input = Batch.write(DIR, "ok.jsonl", List.of(classify("x")));
        expect("batch-submit", Map.of(), 400, "missing_field");
        expect(
                "batch-submit",
                Map.of("input", DIR.resolve("missing.jsonl").toAbsolutePath().toString()),
                400,
                "input_not_found");
        // nothing outside the tenant's own directory may be read, relative paths are below it
        expect("batch-submit", Map.of("input", "/etc/passwd"), 400, "path_not_allowed");
        expect("batch-submit", Map.of("input", "../pom.xml"), 400, "path_not_allowed");
        expect("batch-submit", Map.of("input", input.toString(), "inputStream", "s"), 400, "invalid_input");
        expect("batch-submit", Map.of("inputStream", "nothing-here", "output", "/tmp/x.jsonl"), 400, "input_not_found");
        expect("batch-submit", Map.of("inputStream", "bad key!"), 400, "invalid_input");
        // URL inputs are off unless an operator turns them on (BatchUrlTest)
        expect("batch-submit", Map.of("input", "http://127.0.0.1:1/x.jsonl"), 400, "url_input_disabled");
        expect(
                "batch-submit",
                Map.of("input", input.toString(), "output", DIR.toAbsolutePath().toString()),
                400,
                "invalid_output");
        expect("batch-submit", Map.of("input", input.toString(), "idempotencyKey", ""), 400, "invalid_idempotency_key");
        expect("batch-submit", Map.of("input", input.toString(), "inputFile", "x"), 400, "invalid_json");
        expect("batch-submit", Map.of("jobId", "nope"), 404, "job_not_found");
        expect("batch-submit", Map.of("jobId", "../etc"), 400, "invalid_job_id");
        expect("batch-status", Map.of("jobId", "nope"), 404, "job_not_found");
        expect("batch-status", Map.of(), 400, "invalid_job_id");
        expect("batch-cancel", Map.of("jobId", "nope"), 404, "job_not_found");
        expect("batch-status", Map.of("jobId", 5), 400, "invalid_json");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(classify("t-" + i));
        }
        Path big = Batch.write(DIR, "too-many.jsonl", tooMany);
        expect("batch-submit", Map.of("input", big.toString(), "idempotencyKey", "big-1"), 400, "job_too_large");
        // the refused job left nothing behind: the same event may be retried (and is refused again, not deduplicated)
        expect("batch-submit", Map.of("input", big.toString(), "idempotencyKey", "big-1"), 400, "job_too_large");
        assertThat(redis.key().keys("engram:default:batch:event:big-1")).isEmpty();
    }

    private static void expect(String function, Map<String, ?> body, int status, String code) {
        JsonPath error = Batch.post(function, body, status);
        assertThat(error.getString("error")).as(body.toString()).isEqualTo(code);
        assertThat(error.getString("message")).isNotBlank();
    }
}
