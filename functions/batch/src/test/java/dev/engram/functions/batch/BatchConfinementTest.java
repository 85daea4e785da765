package dev.engram.functions.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Files a job may not use although they are in (or linked from) the tenant's own directory: FIFOs,
 * devices, directories, over-long names — refused at once, without hanging on a FIFO. A file that is no
 * batch input is not quoted back. An output that stops being writable mid-job fails that job clearly
 * after a few tries, and another job goes on meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class BatchConfinementTest {
    static final Path DIR = Batch.dir("batch-confinement-test");

    @AfterAll
    static void clean() {
        Batch.delete(DIR);
    }

    @Test
    void specialFilesAndUnboundedNamesAreRefusedAtOnce() throws Exception {
        Path input = Batch.write(DIR, "ok.jsonl", List.of(classify("x")));
        Path fifo = mkfifo(DIR.resolve("pipe.jsonl"));
        Files.createSymbolicLink(DIR.resolve("null.jsonl"), Path.of("/dev/null"));
        Files.createSymbolicLink(DIR.resolve("environ.jsonl"), Path.of("/proc/self/environ"));
        refused(Map.of("input", fifo.toString()), "input_not_regular");
        refused(Map.of("input", DIR.toString()), "input_not_regular");
        refused(Map.of("input", "batch-confinement-test/environ.jsonl"), "path_not_allowed");
        refused(Map.of("input", "batch-confinement-test/null.jsonl"), "path_not_allowed");
        refused(Map.of("input", input.toString(), "output", fifo.toString()), "output_not_regular");
        refused(Map.of("input", input.toString(), "output", "batch-confinement-test/null.jsonl"), "output_not_regular");
        refused(Map.of("input", input.toString(), "output", "/dev/full"), "path_not_allowed");
        refused(
                Map.of("input", input.toString(), "output", "batch-confinement-test/" + "o".repeat(300)),
                "invalid_output");
        refused(Map.of("input", input.toString(), "output", "d/".repeat(40) + "out.jsonl"), "invalid_output");
        refused(Map.of("input", input.toString(), "output", "x".repeat(2000)), "invalid_output");
    }

    @Test
    void aFileThatIsNoBatchInputIsNotQuotedBack() {
        Path notes = Batch.write(
                DIR,
                "notes.txt",
                List.of(
                        "SECRET-TOKEN-7f3a for the vault",
                        "root:x:0:0:root:/root:/bin/bash",
                        "{\"SECRET-FIELD\": \"value\"}"));
        JsonPath done = Batch.awaitCompleted(
                Batch.submit(Map.of("input", notes.toString())).getString("jobId"));
        List<JsonNode> results = Batch.output(Batch.results(done));
        assertThat(results)
                .hasSize(3)
                .allSatisfy(result ->
                        assertThat(result.toString()).doesNotContain("SECRET").doesNotContain("root"));
        assertThat(results.get(0).get("error").get("error").asText()).isEqualTo("invalid_json");
        assertThat(results.get(2).get("error").get("error").asText()).isEqualTo("invalid_line");
    }

    @Test
    void anOutputThatCannotBeWrittenFailsItsJobAndNoOtherJobWaits() throws Exception {
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            slow.add(Batch.line(
                    "g-" + i,
                    "generate",
                    Map.of("prompt", "Once upon a time", "maxTokens", 200, "temperature", 0, "stop", List.of("zzzz"))));
        }
        Path input = Batch.write(DIR, "slow.jsonl", slow);
        String jobId = Batch.submit(
                        Map.of("input", input.toString(), "output", "batch-confinement-test/slow.out.jsonl"))
                .getString("jobId");
        Path output = DIR.resolve("slow.out.jsonl");
        Batch.await(jobId, s -> s.getInt("written") >= 1, Duration.ofMinutes(2));
        // the output becomes a FIFO nobody reads: opening it must neither block the sink nor go on for ever.
        // Swapped in by an atomic rename: a delete first would race with the sink writing the file again.
        Path fifo = mkfifo(DIR.resolve("slow.fifo"));
        Files.move(fifo, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        String other = Batch.submit(Map.of(
                        "input",
                        Batch.write(DIR, "other.jsonl", List.of(classify("o-1"), classify("o-2")))
                                .toString()))
                .getString("jobId");
        JsonPath failed = Batch.await(jobId, s -> "failed".equals(s.getString("state")), Duration.ofMinutes(1));
        assertThat(failed.getString("error.error")).isEqualTo("output_failed");
        assertThat(failed.getString("error.message"))
                .contains("batch-confinement-test/slow.out.jsonl")
                .contains("not a regular file")
                .doesNotContain(Batch.ROOT.toString());
        assertThat(failed.getString("finishedAt")).isNotNull();
        JsonPath otherDone = Batch.await(other, s -> "completed".equals(s.getString("state")), Duration.ofMinutes(1));
        Batch.assertEachCustomIdOnce(Batch.output(Batch.results(otherDone)), 2);
        // failed is final: its worker stopped, nothing more is done
        int doneAtFailure = Batch.status(jobId).getInt("done");
        Batch.sleep(1500);
        JsonPath later = Batch.status(jobId);
        assertThat(later.getString("state")).isEqualTo("failed");
        assertThat(later.getInt("done")).isBetween(doneAtFailure, doneAtFailure + 2);
        assertThat(Batch.post("batch-cancel", Map.of("jobId", jobId), 200).getString("state"))
                .isEqualTo("failed");
    }

    static String classify(String id) {
        return Batch.line(
                id, "classify", Map.of("text", "The team won the cup.", "labels", Batch.LABELS, "mode", "embedding"));
    }

    private static Path mkfifo(Path path) throws Exception {
        assertThat(new ProcessBuilder("mkfifo", path.toString())
                        .inheritIO()
                        .start()
                        .waitFor())
                .isZero();
        return path;
    }

    private static void refused(Map<String, String> body, String code) {
        Response response = given().contentType("application/json").body(body).post("/batch-submit");
        assertThat(response.statusCode())
                .as(body + " -> " + response.asString())
                .isEqualTo(400);
        assertThat(response.jsonPath().getString("error"))
                .as(body + " -> " + response.asString())
                .isEqualTo(code);
    }
}
