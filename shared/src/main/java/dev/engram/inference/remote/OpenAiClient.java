package dev.engram.inference.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.errors.InvalidRequestException;
import dev.engram.errors.UnavailableException;
import dev.engram.inference.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * HTTP to an OpenAI-compatible server (JDK HttpClient, HTTP/1.1, which every such server speaks):
 * bounded retries with exponential backoff on connection failures, 5xx and 429 — only before a
 * response has begun — and streams whose reads are bounded by the read timeout and end as soon as the
 * caller cancels (the connection is closed, so the server stops generating).
 */
final class OpenAiClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OpenAiClient.class);
    private static final int ERROR_BODY_LIMIT = 4096;

    private final URI base;
    private final RemoteConfig config;
    private final HttpClient http;
    /** One daemon thread that closes streams which stall or whose caller cancelled. */
    private final ScheduledExecutorService watchdog;

    final ObjectMapper json = new ObjectMapper();

    OpenAiClient(URI base, RemoteConfig config) {
        this.base = base;
        this.config = config;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .build();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("engram-remote-watchdog").factory());
    }

    URI base() {
        return base;
    }

    /** {@code GET /models} once, bounded by the connect timeout: for readiness and discovery. */
    JsonNode models(Duration timeout) throws IOException {
        HttpRequest request = request("/models").timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + request.uri() + " answered HTTP " + response.statusCode() + ": "
                        + clip(response.body()));
            }
            return json.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** {@code GET /models} with the retry policy: what discovery uses before a generation. */
    JsonNode modelsWithRetries(Cancellation cancellation) {
        return withRetries("GET /models", cancellation, () -> {
            HttpResponse<InputStream> response = http.send(
                    request("/models").timeout(config.readTimeout()).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                return Attempt.failed(response, readError(response));
            }
            try (InputStream body = response.body()) {
                return Attempt.ok(json.readTree(body));
            }
        });
    }

    /**
     * Posts a streaming completion to {@code path} ({@code /chat/completions} or {@code /completions})
     * and returns the open event stream once the server has answered 200.
     */
    SseStream stream(String path, byte[] body, Cancellation cancellation) {
        return withRetries("POST " + path, cancellation, () -> {
            HttpRequest request = request(path)
                    .timeout(config.readTimeout())
                    .header("Content-Type", "application/json")
                    .header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                return Attempt.failed(response, readError(response));
            }
            return Attempt.ok(new SseStream(response.body(), watchdog, config.readTimeout(), cancellation, base));
        });
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        config.apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        return builder;
    }

    @FunctionalInterface
    private interface Call<T> {
        Attempt<T> run() throws IOException, InterruptedException;
    }

    /** One try: a value, or the failed response's status, Retry-After and message. */
    private record Attempt<T>(T value, int status, Optional<Duration> retryAfter, String message) {
        static <T> Attempt<T> ok(T value) {
            return new Attempt<>(value, 200, Optional.empty(), null);
        }

        static <T> Attempt<T> failed(HttpResponse<?> response, String message) {
            Optional<Duration> retryAfter =
                    response.headers().firstValue("Retry-After").flatMap(OpenAiClient::seconds);
            return new Attempt<>(null, response.statusCode(), retryAfter, message);
        }
    }

    private <T> T withRetries(String what, Cancellation cancellation, Call<T> call) {
        String last = "no attempt";
        Duration wait = config.backoff();
        for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
            if (attempt > 0) {
                sleep(cancellation == null ? wait : min(wait, cancellation.remaining()));
                wait = min(wait.multipliedBy(2), config.maxBackoff());
            }
            if (cancellation != null && cancellation.isCancelled()) {
                break;
            }
            if (cancellation != null && cancellation.expired()) {
                throw new UnavailableException(
                        "deadline_exceeded",
                        "The request's deadline (engram.request.timeout) passed while " + what + " to " + base
                                + " was retried (last: " + last + ")",
                        config.maxBackoff());
            }
            try {
                Attempt<T> result = call.run();
                if (result.value() != null) {
                    return result.value();
                }
                last = "HTTP " + result.status() + ": " + result.message();
                if (result.status() != 429 && result.status() < 500) {
                    throw rejected(result.status(), result.message());
                }
                if (result.retryAfter().isPresent() && result.retryAfter().get().compareTo(wait) > 0) {
                    wait = min(result.retryAfter().get(), config.maxBackoff());
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = "interrupted";
                break;
            }
            LOG.debugf("%s to %s failed (attempt %d): %s", what, base, attempt + 1, last);
        }
        throw new UnavailableException(
                "remote_unavailable",
                "The inference server at " + base + " did not answer " + what + " after " + (config.maxRetries() + 1)
                        + " attempts (last: " + last + ")",
                config.maxBackoff());
    }

    /**
     * A 4xx other than 429: the server refused this request. Bad input (400, 413, 422) is the caller's,
     * with the server's message and code; anything else (401, 403, 404 — key, model, URL) is this
     * function's configuration, a 503.
     */
    private RuntimeException rejected(int status, String message) {
        if (status == 400 || status == 413 || status == 422) {
            return new InvalidRequestException(
                    errorCode(message).orElse("remote_rejected"),
                    "The inference server at " + base + " rejected the request: " + errorMessage(message));
        }
        return new UnavailableException(
                "remote_rejected",
                "The inference server at " + base + " refused the request (HTTP " + status + "): "
                        + errorMessage(message) + "; check engram.inference.remote.*",
                Duration.ofSeconds(30));
    }

    /** The {@code error.code} of an OpenAI error body, when it is a plain word. */
    private Optional<String> errorCode(String body) {
        JsonNode code = parse(body).path("error").path("code");
        return code.isTextual() && code.asText().matches("[a-z_]{1,64}")
                ? Optional.of(code.asText())
                : Optional.empty();
    }

    private String errorMessage(String body) {
        JsonNode error = parse(body).path("error");
        JsonNode message =
                error.isObject() ? error.path("message") : parse(body).path("message");
        return message.isTextual() ? message.asText() : body;
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException | RuntimeException e) {
            return json.missingNode();
        }
    }

    private static String readError(HttpResponse<InputStream> response) throws IOException {
        try (InputStream body = response.body()) {
            return clip(new String(body.readNBytes(ERROR_BODY_LIMIT), StandardCharsets.UTF_8));
        }
    }

    private static String clip(String text) {
        String oneLine = text.strip().replace('\n', ' ');
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "..." : oneLine;
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        // Let generations in flight finish briefly, then cut them: shutdown must not wait a read timeout.
        http.shutdown();
        try {
            if (!http.awaitTermination(Duration.ofSeconds(5))) {
                http.shutdownNow();
            }
            watchdog.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            http.shutdownNow();
        }
    }
}
