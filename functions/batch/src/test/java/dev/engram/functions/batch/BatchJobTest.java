package dev.engram.functions.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.tasks.classify.ClassifyRequest;
import dev.engram.tasks.classify.ClassifyTask;
import dev.engram.tasks.generate.GenerateRequest;
import dev.engram.tasks.generate.GenerateTask;
import dev.engram.tasks.summarize.SummarizeRequest;
import dev.engram.tasks.summarize.SummarizeTask;
import dev.engram.tasks.translate.TranslateRequest;
import dev.engram.tasks.translate.TranslateTask;
import dev.engram.tenant.Tenant;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A 200-line job mixing the four functions on stories260K and MiniLM: one result per line, equal to the direct call. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class BatchJobTest {
    static final Path DIR = Batch.dir("batch-job-test");
    static final List<String> PROMPTS =
            List.of("Once upon a time", "The dog", "Lily wanted to", "One day, a little boy");
    static final List<String> TEXTS = List.of(
            "The striker scored twice in the second half and the crowd went wild.",
            "Chop the onions finely and fry them in butter until golden.",
            "Heavy rain and strong winds are expected tomorrow afternoon.",
            "The new phone has a faster chip and a brighter screen.");
    static final String STORY =
            "Tom had a red ball. He liked to play with it in the park. One day the ball rolled into the pond. "
                    + "A duck pushed the ball back to Tom. Tom was happy and said thank you to the duck.";

    @Inject
    GenerateTask generate;

    @Inject
    ClassifyTask classify;

    @Inject
    SummarizeTask summarize;

    @Inject
    TranslateTask translate;

    @Inject
    ObjectMapper json;

    @AfterAll
    static void clean() {
        Batch.delete(DIR);
    }

    /** Line i of the mixed job: function and body. */
    static Map.Entry<String, Map<String, Object>> mixed(int i) {
        return switch (i % 4) {
            case 0 ->
                Map.entry(
                        "generate", Map.of("prompt", PROMPTS.get(i / 4 % 4), "maxTokens", 4 + i % 3, "temperature", 0));
            case 1 ->
                Map.entry(
                        "classify", Map.of("text", TEXTS.get(i / 4 % 4), "labels", Batch.LABELS, "mode", "embedding"));
            case 2 ->
                i % 8 == 2
                        ? Map.entry(
                                "summarize", Map.of("text", STORY, "mode", "extractive", "maxSentences", 1 + i / 8 % 2))
                        : Map.entry("summarize", Map.of("text", STORY, "mode", "abstractive", "maxTokens", 8));
            default ->
                i % 8 == 3
                        ? Map.entry("translate", Map.of("text", TEXTS.get(i / 8 % 4), "targetLanguage", "en"))
                        : Map.entry("translate", Map.of("text", "The cat sat on the mat.", "targetLanguage", "de"));
        };
    }

    @Test
    void twoHundredMixedLinesGiveOneResultEachEqualToTheDirectCall() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            var line = mixed(i);
            lines.add(Batch.line("id-" + i, line.getKey(), line.getValue()));
        }
        Path input = Batch.write(DIR, "mixed.jsonl", lines);
        JsonPath submitted = Batch.submit(Map.of("input", input.toString()));
        String jobId = submitted.getString("jobId");
        assertThat(submitted.getInt("total")).isEqualTo(200);
        // the results go where the input is, relative to the tenant's directory (both roots are the same here)
        assertThat(submitted.getString("output")).isEqualTo("batch-job-test/mixed.jsonl.results.jsonl");

        JsonPath done = Batch.awaitCompleted(jobId);
        assertThat(done.getInt("done")).isEqualTo(200);
        assertThat(done.getInt("failed")).isZero();
        assertThat(done.getInt("pending")).isZero();
        assertThat(done.getInt("written")).isEqualTo(200);
        assertThat(done.getDouble("percent")).isEqualTo(100.0);
        assertThat(done.getDouble("linesPerSecond")).isPositive();
        assertThat(done.getString("startedAt")).isNotNull();
        assertThat(done.getString("finishedAt")).isNotNull();

        List<JsonNode> output = Batch.output(Batch.results(done));
        Batch.assertEachCustomIdOnce(output, 200);
        Map<String, JsonNode> direct = new HashMap<>();
        for (JsonNode result : output) {
            int i = Integer.parseInt(result.get("customId").asText().substring(3));
            assertThat(result.get("line").asInt()).isEqualTo(i + 1);
            assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("ok");
            var line = mixed(i);
            String key = line.getKey() + json.writeValueAsString(line.getValue());
            JsonNode expected = direct.computeIfAbsent(key, k -> call(line.getKey(), line.getValue()));
            assertThat(Batch.withoutTimings(result.get("response")))
                    .as(result.toString())
                    .isEqualTo(expected);
        }
        // the summary beside the output is the final status
        JsonNode summary = Batch.JSON.readTree(
                input.resolveSibling("mixed.jsonl.results.summary.json").toFile());
        assertThat(summary.get("state").asText()).isEqualTo("completed");
        assertThat(summary.get("done").asInt()).isEqualTo(200);
        assertThat(summary.get("written").asInt()).isEqualTo(200);
    }

    private JsonNode call(String function, Map<String, Object> body) {
        String tenant = Tenant.DEFAULT.id();
        Object response = switch (function) {
            case "generate" -> generate.run(tenant, json.convertValue(body, GenerateRequest.class));
            case "classify" -> classify.run(tenant, json.convertValue(body, ClassifyRequest.class));
            case "summarize" -> summarize.run(tenant, json.convertValue(body, SummarizeRequest.class));
            default -> translate.run(tenant, json.convertValue(body, TranslateRequest.class));
        };
        try {
            return Batch.withoutTimings(Batch.JSON.readTree(json.writeValueAsString(response)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
