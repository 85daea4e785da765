package dev.engram.functions.generate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.models.Models;
import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus output after a known sequence of calls, and a client that hangs up mid-stream
 * freeing the model. No waiting room (queue size 0): a request that finds the model busy is rejected
 * at once, so a 200 right after a hang-up proves the model was free.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@TestProfile(GenerateMetricsTest.NoQueue.class)
class GenerateMetricsTest {
    static final String LONG_PROMPT = "He liked to play with his ball. ".repeat(30);

    public static class NoQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "engram.inference.queue-size",
                    "0",
                    "engram.inference.queue-timeout",
                    "200ms",
                    "engram.inference.max-batch",
                    "1");
        }
    }

    @Inject
    Models models;

    /** Quarkus's trace exporter would hand spans here (see InMemorySpans) if the SDK were on. */
    @Inject
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans;

    @BeforeEach
    void loaded() {
        models.get();
    }

    private static Response post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/generate");
    }

    @Test
    void aKnownSequenceOfCallsShowsInThePrometheusOutput() throws Exception {
        PrometheusText before = PrometheusText.scrape();
        int ok = 0;
        int inputTokens = 0;
        int outputTokens = 0;
        for (int maxTokens : new int[] {3, 5, 7}) {
            Response r = post(Map.of("prompt", "Once upon a time", "maxTokens", maxTokens));
            assertThat(r.statusCode()).isEqualTo(200);
            ok++;
            inputTokens += r.jsonPath().getInt("usage.promptTokens");
            outputTokens += r.jsonPath().getInt("usage.completionTokens");
        }
        // One request while a long one holds the model: rejected (no queue). The long one counts as a success.
        int rejected = 0;
        for (int attempt = 0; attempt < 5 && rejected == 0; attempt++) {
            CompletableFuture<Response> running = CompletableFuture.supplyAsync(
                    () -> post(Map.of("prompt", LONG_PROMPT, "maxTokens", 200, "stop", List.of("zzzz"))));
            while (!running.isDone() && PrometheusText.scrape().value("engram_generations_active") < 1) {
                Thread.sleep(5);
            }
            Response second = post(Map.of("prompt", "Once", "maxTokens", 2));
            for (Response r : List.of(second, running.get())) {
                if (r.statusCode() == 503) {
                    assertThat(r.jsonPath().getString("error")).isEqualTo("overloaded");
                    rejected++;
                } else {
                    assertThat(r.statusCode()).isEqualTo(200);
                    ok++;
                    inputTokens += r.jsonPath().getInt("usage.promptTokens");
                    outputTokens += r.jsonPath().getInt("usage.completionTokens");
                }
            }
        }
        assertThat(rejected).isEqualTo(1);

        PrometheusText after = PrometheusText.scrape();
        String[] generate = {"gen_ai_operation_name", "generate", "gen_ai_request_model", "stories260K"};
        assertThat(delta(
                        before, after, "gen_ai_client_token_usage_count", with(generate, "gen_ai_token_type", "input")))
                .isEqualTo(ok);
        assertThat(delta(before, after, "gen_ai_client_token_usage_sum", with(generate, "gen_ai_token_type", "input")))
                .isEqualTo(inputTokens);
        assertThat(delta(before, after, "gen_ai_client_token_usage_sum", with(generate, "gen_ai_token_type", "output")))
                .isEqualTo(outputTokens);
        assertThat(delta(
                        before,
                        after,
                        "gen_ai_server_request_duration_seconds_count",
                        with(generate, "error_type", "none")))
                .isEqualTo(ok);
        assertThat(delta(
                        before,
                        after,
                        "gen_ai_server_request_duration_seconds_count",
                        "gen_ai_operation_name",
                        "generate",
                        "error_type",
                        "overloaded"))
                .isEqualTo(1);
        assertThat(delta(before, after, "gen_ai_server_time_to_first_token_seconds_count", generate))
                .isEqualTo(ok);
        assertThat(delta(before, after, "gen_ai_server_time_per_output_token_seconds_count", generate))
                .isEqualTo(ok);
        assertThat(delta(before, after, "engram_queue_wait_seconds_count", generate))
                .isEqualTo(ok);
        assertThat(delta(
                        before,
                        after,
                        "engram_requests_rejected_total",
                        "reason",
                        "overloaded",
                        "gen_ai_operation_name",
                        "generate"))
                .isEqualTo(1);
        assertThat(after.value("engram_queue_depth")).isZero();
        assertThat(after.value("engram_generations_active")).isZero();
        assertThat(after.value("gen_ai_server_request_duration_seconds_sum", with(generate, "error_type", "none")))
                .isPositive();
        // Traces are off by default: all these calls exported no span.
        Thread.sleep(300);
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void aClientThatHangsUpMidStreamFreesTheModelForTheNextRequest() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":400,"
                + "\"temperature\":0,\"stop\":[\"zzzz\"],\"stream\":true}";
        // The same request read to its end, for its length.
        Response whole = given().contentType(ContentType.JSON)
                .body(body.replace("\"stream\":true", "\"stream\":false"))
                .post("/v1/chat/completions");
        int fullTokens = whole.jsonPath().getInt("usage.completion_tokens");
        assertThat(fullTokens).as("the story must run long enough to be cut").isGreaterThan(50);

        PrometheusText before = PrometheusText.scrape();
        int port = io.restassured.RestAssured.port;
        long hungUp;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                                    + bytes.length + "\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("\"content\":\"")) {
                int b = in.read();
                assertThat(b).as("the stream ended before its first text").isNotNegative();
                seen.append((char) b);
            }
            hungUp = System.nanoTime();
        }
        // The generation ends after the token in flight: the model is free well before the story would have ended.
        while (PrometheusText.scrape().value("engram_generations_active") > 0) {
            assertThat((System.nanoTime() - hungUp) / 1_000_000)
                    .as("model still held after the hang-up")
                    .isLessThan(2_000);
            Thread.sleep(5);
        }
        Response next = post(Map.of("prompt", "Once", "maxTokens", 2));
        assertThat(next.statusCode()).isEqualTo(200);
        PrometheusText after = PrometheusText.scrape();
        double cutTokens = delta(
                before,
                after,
                "gen_ai_client_token_usage_sum",
                "gen_ai_operation_name",
                "chat",
                "gen_ai_token_type",
                "output");
        assertThat(cutTokens).as("tokens the hung-up stream generated").isBetween(1.0, fullTokens - 10.0);
        assertThat(after.value("engram_queue_depth")).isZero();
    }

    private static String[] with(String[] labels, String... more) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + more.length);
        System.arraycopy(more, 0, all, labels.length, more.length);
        return all;
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
