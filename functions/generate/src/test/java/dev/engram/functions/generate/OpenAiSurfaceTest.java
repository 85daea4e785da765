package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAI surface of generate on stories260K: same model, same decoding, OpenAI's shapes. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class OpenAiSurfaceTest {

    static Map<String, Object> user(String text) {
        return Map.of("role", "user", "content", text);
    }

    static JsonPath chat(Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .jsonPath();
    }

    /** The {@code data:} payloads of an SSE body, in order. */
    static List<String> events(Response response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        for (String event : response.asString().split("\n\n")) {
            assertThat(event).startsWith("data: ");
            events.add(event.substring(6));
        }
        return events;
    }

    static Response stream(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/chat/completions");
    }

    @Test
    void modelsListsTheServedModelAndItsContext() {
        JsonPath models =
                given().get("/v1/models").then().statusCode(200).extract().jsonPath();
        assertThat(models.getString("object")).isEqualTo("list");
        assertThat(models.getList("data.id")).containsExactly("stories260K");
        assertThat(models.getString("data[0].object")).isEqualTo("model");
        assertThat(models.getInt("data[0].max_model_len")).isEqualTo(512);
    }

    @Test
    void greedyChatEqualsGenerateAndTheReference() {
        for (ReferenceCases.Case c : ReferenceCases.load(TestModels.stories260K())) {
            JsonPath answer = chat(Map.of(
                    "model",
                    "stories260K",
                    "messages",
                    List.of(user(c.prompt())),
                    "temperature",
                    0,
                    "max_tokens",
                    c.maxTokens()));
            assertThat(answer.getString("choices[0].message.content")).isEqualTo(c.text());
            assertThat(answer.getString("choices[0].finish_reason")).isEqualTo(c.stopped_on_bos() ? "stop" : "length");
            assertThat(answer.getInt("usage.prompt_tokens")).isEqualTo(c.prompt_token_ids().length);
            assertThat(answer.getInt("usage.completion_tokens")).isEqualTo(c.token_ids().length);
        }
        JsonPath generate = GenerateSamplingTest.generate("prompt", "Once upon a time", "maxTokens", 24);
        JsonPath answer = chat(
                Map.of("messages", List.of(user("Once upon a time")), "temperature", 0, "max_completion_tokens", 24));
        assertThat(answer.getString("object")).isEqualTo("chat.completion");
        assertThat(answer.getString("id")).startsWith("chatcmpl-");
        assertThat(answer.getString("model")).isEqualTo("stories260K");
        assertThat(answer.getString("choices[0].message.role")).isEqualTo("assistant");
        assertThat(answer.getString("choices[0].message.content"))
                .isEqualTo(generate.getString("text"))
                .isNotEmpty();
        assertThat(answer.getInt("usage.total_tokens")).isEqualTo(generate.getInt("usage.promptTokens") + 24);
    }

    @Test
    void systemAndHistoryMessagesBecomeThePromptGenerateWouldSee() {
        JsonPath answer = chat(Map.of(
                "temperature",
                0,
                "max_tokens",
                16,
                "messages",
                List.of(
                        Map.of("role", "system", "content", "A story."),
                        user("Once upon a time"),
                        Map.of(
                                "role",
                                "assistant",
                                "content",
                                List.of(Map.of("type", "text", "text", ", there was a dog."))),
                        user("The dog"))));
        JsonPath generate = GenerateSamplingTest.generate(
                "system", "A story.", "prompt", "Once upon a time, there was a dog.\nThe dog", "maxTokens", 16);
        assertThat(answer.getString("choices[0].message.content")).isEqualTo(generate.getString("text"));
        assertThat(answer.getInt("usage.prompt_tokens")).isEqualTo(generate.getInt("usage.promptTokens"));
    }

    @Test
    void streamSendsRoleTextFinishAndUsageChunksThenDone() {
        String whole = chat(Map.of("messages", List.of(user("Once upon a time")), "temperature", 0, "max_tokens", 32))
                .getString("choices[0].message.content");
        List<String> events = events(stream(Map.of(
                "messages", List.of(user("Once upon a time")), "temperature", 0, "max_tokens", 32, "stream", true)));
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonPath> chunks = events.subList(0, events.size() - 1).stream()
                .map(JsonPath::from)
                .toList();
        assertThat(chunks).allSatisfy(c -> assertThat(c.getString("object")).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.stream().map(c -> c.getString("id")).distinct()).hasSize(1);
        assertThat(chunks.getFirst().getString("choices[0].delta.role")).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        for (JsonPath c : chunks.subList(1, chunks.size() - 2)) {
            assertThat(c.getString("choices[0].finish_reason")).isNull();
            text.append(c.getString("choices[0].delta.content"));
        }
        assertThat(chunks.size()).isGreaterThan(10); // text arrives piece by piece, not at once
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(chunks.get(chunks.size() - 2).getString("choices[0].finish_reason"))
                .isEqualTo("length");
        JsonPath usage = chunks.getLast();
        assertThat(usage.getList("choices")).isEmpty();
        assertThat(usage.getInt("usage.prompt_tokens")).isEqualTo(5);
        assertThat(usage.getInt("usage.completion_tokens")).isEqualTo(32);
        assertThat(usage.getInt("usage.total_tokens")).isEqualTo(37);
    }

    @Test
    void streamWithoutUsageWhenTheClientTurnsItOff() {
        List<String> events = events(stream(Map.of(
                "messages",
                List.of(user("Once upon a time")),
                "max_tokens",
                8,
                "temperature",
                0,
                "stream",
                true,
                "stream_options",
                Map.of("include_usage", false))));
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(events.subList(0, events.size() - 1))
                .allSatisfy(e -> assertThat(JsonPath.from(e).getList("choices")).hasSize(1));
        assertThat(JsonPath.from(events.get(events.size() - 2)).getString("choices[0].finish_reason"))
                .isEqualTo("length");
    }

    @Test
    void stopStringsAndSeedsWorkAsOnGenerate() {
        JsonPath stopped = chat(Map.of(
                "messages", List.of(user("Once upon a time")), "temperature", 0, "max_tokens", 64, "stop", "Lily"));
        assertThat(stopped.getString("choices[0].message.content")).isEqualTo(", there was a little girl named ");
        assertThat(stopped.getString("choices[0].finish_reason")).isEqualTo("stop");
        Map<String, Object> sampled =
                Map.of("messages", List.of(user("Once upon a time")), "temperature", 0.9, "seed", 7, "max_tokens", 24);
        String first = chat(sampled).getString("choices[0].message.content");
        assertThat(chat(sampled).getString("choices[0].message.content")).isEqualTo(first);
        JsonPath generate = GenerateSamplingTest.generate(
                "prompt", "Once upon a time", "temperature", 0.9, "seed", 7, "maxTokens", 24);
        assertThat(first).isEqualTo(generate.getString("text"));
    }
}
