package dev.engram.inference.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.engram.errors.UnavailableException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The remote engine against a slow inference server (a real HTTP server on a real socket whose answers
 * are delayed on purpose): the circuit breaker opens after the configured failures, then fails fast
 * without connecting, lets one probe through after the open duration and closes when it succeeds; and
 * a request's deadline cuts a slow stream, returning the text so far.
 */
class RemoteFaultsTest {
    private HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger connections = new AtomicInteger();
    /** How long the server waits before its response headers. */
    private final AtomicLong delayMillis = new AtomicLong();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        handlers.shutdownNow();
    }

    private String serve(int chunks, long chunkGapMillis) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.createContext("/v1/", exchange -> {
            connections.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMillis.get());
                stream(exchange, chunks, chunkGapMillis);
            } catch (IOException | InterruptedException e) {
                // the client gave up: nothing more to send
            } finally {
                exchange.close();
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static void stream(HttpExchange exchange, int chunks, long gapMillis)
            throws IOException, InterruptedException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < chunks; i++) {
            out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + " \"}}]}\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(gapMillis);
        }
        out.write(("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
                        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":" + chunks
                        + "}}\n\ndata: [DONE]\n\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static RemoteEngine engine(String url, int retries, Duration readTimeout, int threshold, Duration openFor) {
        return RemoteEngine.create(new RemoteConfigs(
                Optional.of(url),
                Optional.of("m"),
                Optional.of(512),
                Optional.empty(),
                retries,
                Duration.ofMillis(50),
                readTimeout,
                threshold,
                openFor));
    }

    @Test
    void aSlowServerOpensTheBreakerWhichFailsFastThenProbesAndCloses() throws Exception {
        String url = serve(3, 0);
        delayMillis.set(1_000); // slower than the read timeout: every attempt times out
        try (RemoteEngine engine = engine(url, 1, Duration.ofMillis(300), 2, Duration.ofMillis(1_500))) {
            for (int call = 1; call <= 2; call++) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 3), t -> {}))
                        .isInstanceOfSatisfying(UnavailableException.class, e -> {
                            assertThat(e.code()).isEqualTo("remote_unavailable");
                            assertThat(e.getMessage()).contains("2 attempts").contains("HttpTimeoutException");
                        });
                // two attempts of 300 ms and a 50 ms backoff: bounded, not the server's pace
                assertThat((System.nanoTime() - start) / 1_000_000).isBetween(600L, 2_500L);
            }
            assertThat(connections.get()).isEqualTo(4);
            assertThat(engine.breakerState()).isEqualTo("open");

            // Open: an immediate 503 that never reaches the server, with the time left as Retry-After.
            long start = System.nanoTime();
            assertThatThrownBy(() -> engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 3), t -> {}))
                    .isInstanceOfSatisfying(UnavailableException.class, e -> {
                        assertThat(e.code()).isEqualTo("inference_unavailable");
                        assertThat(e.retryAfterSeconds()).isBetween(1L, 2L);
                    });
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100L);
            assertThat(connections.get()).isEqualTo(4);

            // The server recovers; after the open duration one probe goes through and closes the breaker.
            delayMillis.set(0);
            Thread.sleep(1_600);
            assertThat(engine.breakerState()).isEqualTo("half_open");
            GenerationResult probe = engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 3), t -> {});
            assertThat(probe.text()).isEqualTo("w0 w1 w2 ");
            assertThat(engine.breakerState()).isEqualTo("closed");
            assertThat(engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 3), t -> {})
                            .completionTokens())
                    .isEqualTo(3);
            assertThat(connections.get()).isEqualTo(6);
        }
    }

    @Test
    void aFailedProbeOpensTheBreakerAgain() throws Exception {
        String url = serve(1, 0);
        delayMillis.set(1_000);
        try (RemoteEngine engine = engine(url, 0, Duration.ofMillis(200), 1, Duration.ofMillis(400))) {
            assertThatThrownBy(() -> engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 1), t -> {}))
                    .isInstanceOf(UnavailableException.class);
            assertThat(engine.breakerState()).isEqualTo("open");
            Thread.sleep(500);
            assertThatThrownBy(() -> engine.generate(GenerationRequest.greedy(Prompt.of("Once"), 1), t -> {}))
                    .isInstanceOfSatisfying(
                            UnavailableException.class,
                            e -> assertThat(e.code()).isEqualTo("remote_unavailable"));
            assertThat(engine.breakerState()).isEqualTo("open");
            assertThat(connections.get()).isEqualTo(2);
        }
    }

    @Test
    void theDeadlineCutsASlowStreamAndKeepsTheTextSoFar() throws Exception {
        String url = serve(40, 100); // 40 words, one every 100 ms: 4 s in all
        try (RemoteEngine engine = engine(url, 0, Duration.ofSeconds(5), 3, Duration.ofSeconds(10))) {
            StringBuilder seen = new StringBuilder();
            long start = System.nanoTime();
            GenerationResult result = engine.generate(
                    new GenerationRequest(
                            Prompt.of("Once"),
                            Sampling.GREEDY,
                            40,
                            List.of(),
                            Cancellation.within(Duration.ofMillis(450))),
                    seen::append);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(result.finishReason()).isEqualTo(FinishReason.TIMEOUT);
            assertThat(result.completionTokens()).isBetween(2, 8);
            assertThat(result.text()).startsWith("w0 w1 ").isEqualTo(seen.toString());
            assertThat(millis).isBetween(400L, 1_500L);
            // a deadline is not the server's fault: the breaker stays closed
            assertThat(engine.breakerState()).isEqualTo("closed");
        }
    }
}
