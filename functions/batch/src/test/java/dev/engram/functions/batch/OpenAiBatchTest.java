package dev.engram.functions.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.inference.openai.ChatCompletionRequest;
import dev.engram.memory.embedding.Embedder;
import dev.engram.tasks.openai.ChatCompletions;
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

/**
 * An OpenAI Batch input file, unchanged: chat completions and embeddings lines run in the batch
 * function, each answered by an OpenAI-shaped output line equal to what the endpoint answers; lines
 * that are no request get an {@code error}, requests the endpoint refuses a 4xx {@code response}.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class OpenAiBatchTest {
    static final Path DIR = Batch.dir("openai-batch-test");

    @Inject
    ChatCompletions chat;

    @Inject
    Embedder embedder;

    @AfterAll
    static void clean() {
        Batch.delete(DIR);
    }

    static String line(String customId, String url, Map<String, ?> body) throws Exception {
        return Batch.JSON.writeValueAsString(Map.of("custom_id", customId, "method", "POST", "url", url, "body", body));
    }

    @Test
    void anOpenAiBatchFileRunsUnchanged() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(line(
                    "chat-" + i,
                    "/v1/chat/completions",
                    Map.of(
                            "model",
                            "stories260K",
                            "temperature",
                            0,
                            "max_tokens",
                            6 + i % 3,
                            "messages",
                            List.of(Map.of(
                                    "role",
                                    "user",
                                    "content",
                                    List.of("Once upon a time", "The dog", "Lily")
                                            .get(i % 3))))));
            lines.add(line("embed-" + i, "/v1/embeddings", Map.of("input", "Fact number " + i)));
        }
        lines.add(line(
                "json",
                "/v1/chat/completions",
                Map.of(
                        "max_tokens",
                        80,
                        "seed",
                        4,
                        "messages",
                        List.of(Map.of("role", "user", "content", "Tom")),
                        "response_format",
                        Map.of("type", "json_object"))));
        lines.add(line(
                "bad-schema",
                "/v1/chat/completions",
                Map.of(
                        "messages",
                        List.of(Map.of("role", "user", "content", "x")),
                        "response_format",
                        Map.of(
                                "type",
                                "json_schema",
                                "json_schema",
                                Map.of("name", "x", "schema", Map.of("pattern", "a"))))));
        lines.add(line("bad-url", "/v1/completions", Map.of("prompt", "x")));
        lines.add(line("embed-0", "/v1/embeddings", Map.of("input", "again")));
        Path input = Batch.write(DIR, "openai.jsonl", lines);
        JsonPath done = Batch.awaitCompleted(
                Batch.submit(Map.of("input", input.toString())).getString("jobId"));
        assertThat(done.getInt("done")).isEqualTo(28);
        assertThat(done.getInt("failed")).isEqualTo(3);

        Map<String, JsonNode> byId = new HashMap<>();
        JsonNode duplicate = null;
        for (JsonNode result : Batch.output(Batch.results(done))) {
            assertThat(result.get("id").asText()).startsWith("batch_req_");
            assertThat(result.has("error") && result.has("response"))
                    .as(result.toString())
                    .isTrue();
            if (result.at("/error/code").asText().equals("duplicate_custom_id")) {
                duplicate = result;
            } else {
                assertThat(byId.put(result.get("custom_id").asText(), result)).isNull();
            }
        }
        for (int i = 0; i < 12; i++) {
            JsonNode answer = byId.get("chat-" + i).get("response");
            assertThat(answer.get("status_code").asInt()).isEqualTo(200);
            ChatCompletionRequest request = Batch.JSON.readValue(
                    Batch.JSON.readTree(lines.get(2 * i)).get("body").toString(), ChatCompletionRequest.class);
            String direct = chat.complete(chat.prepare(request, null))
                    .choices()
                    .getFirst()
                    .message()
                    .content()
                    .asText();
            assertThat(answer.at("/body/choices/0/message/content").asText()).isEqualTo(direct);
            assertThat(answer.at("/body/object").asText()).isEqualTo("chat.completion");

            JsonNode embedded = byId.get("embed-" + i).get("response");
            float[] expected = embedder.embed("Fact number " + i);
            assertThat(embedded.at("/body/data/0/embedding").size()).isEqualTo(expected.length);
            assertThat(embedded.at("/body/data/0/embedding/5").floatValue()).isEqualTo(expected[5]);
        }
        JsonNode json = byId.get("json").get("response").get("body");
        boolean whole = json.at("/choices/0/finish_reason").asText().equals("stop");
        assertThat(json.at("/choices/0/json_complete").asBoolean()).isEqualTo(whole);
        assertThat(json.at("/choices/0/message/content").asText().strip()).startsWith("{");
        if (whole) {
            assertThat(Batch.JSON
                            .readTree(json.at("/choices/0/message/content").asText())
                            .isObject())
                    .isTrue();
        }
        assertThat(byId.get("bad-schema").at("/response/status_code").asInt()).isEqualTo(400);
        assertThat(byId.get("bad-schema").at("/response/body/error/code").asText())
                .isEqualTo("unsupported_schema");
        assertThat(byId.get("bad-url").get("response").isNull()).isTrue();
        assertThat(byId.get("bad-url").at("/error/code").asText()).isEqualTo("invalid_url");
        assertThat(duplicate).as("the repeated custom_id").isNotNull();
        assertThat(duplicate.get("custom_id").asText()).isEqualTo("embed-0");
    }
}
