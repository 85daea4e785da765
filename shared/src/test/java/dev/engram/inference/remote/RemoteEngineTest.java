package dev.engram.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.engram.errors.InvalidRequestException;
import dev.engram.errors.UnavailableException;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.Prompt;
import dev.engram.inference.openai.ChatMessage;
import dev.engram.inference.openai.ResponseFormatSpec;
import dev.engram.inference.structured.ResponseFormat;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The remote engine's failure handling. The happy path runs against a real generate function in
 * RemoteBackendIT; the failures a real server cannot be made to produce on demand (a 503 storm, a 401,
 * a stall mid-stream) come from a small scripted HTTP server on a real socket.
 */
class RemoteEngineTest {
    private HttpServer scripted;
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void stop() {
        if (scripted != null) {
            scripted.stop(0);
        }
    }

    private String serve(Consumer<HttpExchange> answer) throws IOException {
        scripted = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        scripted.createContext("/v1/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            answer.accept(exchange);
        });
        scripted.start();
        return "http://127.0.0.1:" + scripted.getAddress().getPort() + "/v1";
    }

    private static void reply(HttpExchange exchange, int status, String body, String... headers) {
        try {
            for (int i = 0; i < headers.length; i += 2) {
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static RemoteEngine engine(RemoteConfigs config) {
        return RemoteEngine.create(new RemoteConfigs(
                config.baseUrl(),
                java.util.Optional.of("m"),
                java.util.Optional.of(512),
                config.tokenizer(),
                config.maxRetries(),
                config.backoff(),
                config.readTimeout(),
                config.breakerFailureThreshold(),
                config.breakerOpenDuration()));
    }

    @Test
    void aClosedPortIsRetriedWithBackoffThen503NamingTheServer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port + "/v1";
        try (RemoteEngine engine = engine(RemoteConfigs.to(url).retries(3, Duration.ofMillis(100)))) {
            assertThat(engine.serverAnswers()).isFalse();
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 4), t -> {}))
                    .isInstanceOfSatisfying(UnavailableException.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.code()).isEqualTo("remote_unavailable");
                        assertThat(e.getMessage())
                                .contains(url)
                                .contains("4 attempts")
                                .contains("ConnectException");
                        assertThat(e.retryAfterSeconds()).isPositive();
                    });
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isBetween(100L + 200 + 400, 3_000L); // 100, 200, 400 ms between the four tries
        }
    }

    @Test
    void overloadedServersAreRetriedAndTheirRetryAfterHonoured() throws IOException {
        String url = serve(exchange -> reply(exchange, 503, "{\"error\":{\"message\":\"busy\"}}", "Retry-After", "1"));
        try (RemoteEngine engine = engine(RemoteConfigs.to(url).retries(2, Duration.ofMillis(50)))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 4), t -> {}))
                    .isInstanceOfSatisfying(
                            UnavailableException.class,
                            e -> assertThat(e.getMessage()).contains("HTTP 503").contains("busy"));
            assertThat(calls.get()).isEqualTo(3);
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(2_000L); // Retry-After: 1, twice
        }
    }

    @Test
    void badRequestsAreTheCallersAndNotRetried() throws IOException {
        String url = serve(
                exchange -> reply(
                        exchange,
                        400,
                        "{\"error\":{\"message\":\"The prompt is 900 tokens\",\"type\":\"invalid_request_error\",\"code\":\"prompt_too_long\"}}"));
        try (RemoteEngine engine = engine(RemoteConfigs.to(url))) {
            assertThatThrownBy(() -> engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 4), t -> {}))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                        assertThat(e.code()).isEqualTo("prompt_too_long");
                        assertThat(e.getMessage()).contains("900 tokens").contains(url);
                    });
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedKeyIsAConfigurationProblemNotRetried() throws IOException {
        String url = serve(exchange -> reply(exchange, 401, "{\"error\":{\"message\":\"invalid api key\"}}"));
        try (RemoteEngine engine = engine(RemoteConfigs.to(url))) {
            assertThatThrownBy(() -> engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 4), t -> {}))
                    .isInstanceOfSatisfying(UnavailableException.class, e -> {
                        assertThat(e.code()).isEqualTo("remote_rejected");
                        assertThat(e.getMessage()).contains("HTTP 401").contains("invalid api key");
                    });
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void aStreamThatStallsEndsAfterTheReadTimeoutWithoutRetry() throws IOException {
        String url = serve(exchange -> {
            try {
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody()
                        .write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Once\"}}]}\n\n")
                                .getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                Thread.sleep(2_000); // then nothing
                exchange.close();
            } catch (IOException | InterruptedException e) {
                exchange.close();
            }
        });
        StringBuilder seen = new StringBuilder();
        try (RemoteEngine engine = engine(RemoteConfigs.to(url).readTimeout(Duration.ofMillis(500)))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 4), seen::append))
                    .isInstanceOfSatisfying(
                            UnavailableException.class,
                            e -> assertThat(e.getMessage()).contains("sent nothing for 500 ms"));
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(500L, 3_000L);
            assertThat(seen.toString()).isEqualTo("Once");
            assertThat(calls.get()).isEqualTo(1);
        }
    }

    @Test
    void withoutABaseUrlTheBackendCannotStart() {
        assertThatThrownBy(() -> RemoteEngine.create(RemoteConfigs.unused()))
                .hasMessageContaining("engram.inference.remote.base-url");
        assertThatThrownBy(() -> RemoteEngine.create(RemoteConfigs.to("ftp://x/v1")))
                .hasMessageContaining("http");
    }

    @Test
    void promptPartsBecomeChatMessages() {
        Prompt prompt = new Prompt(
                "Be brief.",
                List.of(new Prompt.Message(Prompt.Role.USER, "a"), new Prompt.Message(Prompt.Role.ASSISTANT, "b")),
                "c");
        List<ChatMessage> messages = RemoteEngine.messages(prompt);
        assertThat(messages).extracting(ChatMessage::role).containsExactly("system", "user", "assistant", "user");
        assertThat(messages).extracting(m -> m.content().asText()).containsExactly("Be brief.", "a", "b", "c");
    }

    @Test
    void aRawPromptIsSentToCompletionsAsItsTextAndAChatPromptToChatCompletions() throws IOException {
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        scripted = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        scripted.createContext("/v1/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            received.add(path + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String chunk = path.endsWith("/chat/completions")
                    ? "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" chat\"}}]}"
                    : "{\"choices\":[{\"index\":0,\"text\":\" raw\"}]}";
            reply(
                    exchange,
                    200,
                    "data: " + chunk
                            + "\n\ndata: {\"choices\":[{\"index\":0,\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
                    "Content-Type",
                    "text/event-stream");
        });
        scripted.start();
        String url = "http://127.0.0.1:" + scripted.getAddress().getPort() + "/v1";
        try (RemoteEngine engine = engine(RemoteConfigs.to(url))) {
            Prompt raw = Prompt.raw("<s>[INST] Once");
            assertThat(engine.render(raw)).isEqualTo("<s>[INST] Once");
            StringBuilder seen = new StringBuilder();
            GenerationResult completed = engine.generate(GenerationRequest.greedy(raw, 4), seen::append);
            assertThat(seen.toString()).isEqualTo(" raw");
            assertThat(completed.text()).isEqualTo(" raw");
            // No usage chunk: the prompt is counted from what was sent (ceil(15 / 4) without a tokenizer).
            assertThat(completed.promptTokens()).isEqualTo(4);
            assertThat(engine.generate(GenerationRequest.greedy(Prompt.of("Be brief.", "Once"), 4), t -> {})
                            .text())
                    .isEqualTo(" chat");
        }
        assertThat(received).hasSize(2);
        assertThat(received.get(0))
                .startsWith("/v1/completions ")
                .contains("\"prompt\":\"<s>[INST] Once\"")
                .doesNotContain("messages");
        assertThat(received.get(1))
                .startsWith("/v1/chat/completions ")
                .contains("\"messages\"")
                .contains("\"content\":\"Be brief.\"")
                .doesNotContain("\"prompt\"");
    }

    @Test
    void aJsonFormatTravelsAsOpenAisResponseFormat() throws Exception {
        assertThat(RemoteEngine.responseFormat(null)).isNull();
        assertThat(RemoteEngine.responseFormat(ResponseFormat.jsonObject()))
                .isEqualTo(new ResponseFormatSpec("json_object", null));
        var schema = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\"}}}");
        ResponseFormatSpec spec = RemoteEngine.responseFormat(ResponseFormat.jsonSchema("person", schema));
        assertThat(spec.type()).isEqualTo("json_schema");
        assertThat(spec.jsonSchema().name()).isEqualTo("person");
        assertThat(spec.jsonSchema().schema()).isEqualTo(schema);
        assertThat(spec.jsonSchema().strict()).isTrue();
        assertThat(RemoteEngine.responseFormat(ResponseFormat.jsonSchema(null, schema))
                        .jsonSchema()
                        .name())
                .isEqualTo("response");
    }

    @Test
    void tokensAreCountedWithTheServedModelsTokenizerOrEstimated() {
        try (RemoteEngine estimating = engine(RemoteConfigs.to("http://127.0.0.1:9/v1"))) {
            assertThat(estimating.countTokens("Once upon a time")).isEqualTo(4); // 16 chars / 4
            assertThat(estimating.countTokens("Once upon a time!")).isEqualTo(5);
            assertThat(estimating.countTokens("")).isZero();
        }
        var model = TestModels.stories260K();
        try (RemoteEngine exact =
                engine(RemoteConfigs.to("http://127.0.0.1:9/v1").tokenizer(model))) {
            for (ReferenceCases.Case c : ReferenceCases.load(model)) {
                int[] withoutBos = Arrays.copyOfRange(c.prompt_token_ids(), 1, c.prompt_token_ids().length);
                assertThat(exact.tokenize(c.prompt())).containsExactly(withoutBos);
            }
        }
    }
}
