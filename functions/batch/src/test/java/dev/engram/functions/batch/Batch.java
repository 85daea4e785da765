package dev.engram.functions.batch;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Test helpers: calls to the batch functions, input files, reading the output. */
final class Batch {
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> LABELS = List.of("sports", "cooking", "weather", "technology");
    /** engram.batch.input-root and output-root in the tests: each tenant's files are below {@code <root>/<tenant>/}. */
    static final Path ROOT = Path.of("target/batch-files").toAbsolutePath();

    private Batch() {}

    /** A directory of the tenant's own, below the batch roots. */
    static Path dir(String tenant, String name) {
        return ROOT.resolve(tenant).resolve(name);
    }

    /** A directory of tenant {@code default} (authentication off), below the batch roots. */
    static Path dir(String name) {
        return dir("default", name);
    }

    /** The results file a status names (relative to the tenant's output directory). */
    static Path results(String tenant, JsonPath status) {
        return ROOT.resolve(tenant).resolve(status.getString("output"));
    }

    static Path results(JsonPath status) {
        return results("default", status);
    }

    /** Removes a job's results file and the summary beside it. */
    static void deleteResults(JsonPath status) {
        Path results = results(status);
        delete(results);
        delete(results.resolveSibling(
                results.getFileName().toString().replaceFirst("\\.jsonl$", "") + ".summary.json"));
    }

    static JsonPath post(String function, Object body, int status) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/" + function)
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    static JsonPath submit(Map<String, ?> body) {
        return post("batch-submit", body, 200);
    }

    static JsonPath status(String jobId) {
        return post("batch-status", Map.of("jobId", jobId), 200);
    }

    /** Polls batch-status until the state is reached (or fails after the timeout). */
    static JsonPath await(String jobId, Predicate<JsonPath> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = status(jobId);
            if (condition.test(last)) {
                return last;
            }
            sleep(100);
        }
        throw new AssertionError("Job " + jobId + " did not get there in " + timeout + "; last status "
                + (last == null ? null : last.prettify()));
    }

    static JsonPath awaitCompleted(String jobId) {
        return await(jobId, s -> "completed".equals(s.getString("state")), Duration.ofMinutes(3));
    }

    static String line(String customId, String function, Map<String, ?> body) {
        try {
            Map<String, Object> line = new java.util.LinkedHashMap<>();
            line.put("customId", customId);
            line.put("function", function);
            line.put("body", body);
            return JSON.writeValueAsString(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, List<String> lines) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            Files.writeString(file, String.join("\n", lines) + "\n");
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> output(Path file) {
        try {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                lines.add(JSON.readTree(line));
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A response without its timings, which differ from call to call. */
    static JsonNode withoutTimings(JsonNode response) {
        JsonNode copy = response.deepCopy();
        if (copy instanceof ObjectNode object) {
            object.remove("timings");
        }
        return copy;
    }

    static void assertEachCustomIdOnce(List<JsonNode> output, int expected) {
        assertThat(output).hasSize(expected);
        assertThat(output.stream()
                        .map(l -> l.path("customId").asText())
                        .distinct()
                        .count())
                .isEqualTo(expected);
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
