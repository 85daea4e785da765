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

    private Batch() {}

    static JsonPath post(String function, Object body, int status) {
        return given().contentType(ContentType.JSON).body(body).post("/" + function).then().statusCode(status).extract().jsonPath();
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
        throw new AssertionError("Job " + jobId + " did not get there in " + timeout + "; last status " + (last == null ? null : last.prettify()));
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
        assertThat(output.stream().map(l -> l.path("customId").asText()).distinct().count()).isEqualTo(expected);
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
