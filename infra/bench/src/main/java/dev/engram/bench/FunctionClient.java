package dev.engram.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs JSON to a running function and reads the answer, as any client would. */
final class FunctionClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    FunctionClient(URI base) {
        this.base = base;
    }

    record Answer(int status, JsonNode body, long nanos) {
        boolean ok() {
            return status == 200;
        }
    }

    Answer post(String function, Object body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/" + function))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long nanos = System.nanoTime() - start;
        JsonNode parsed = response.body().length == 0 ? JSON.nullNode() : JSON.readTree(response.body());
        return new Answer(response.statusCode(), parsed, nanos);
    }

    /** As {@link #post}, failing loudly on anything but 200: a benchmark of errors measures nothing. */
    JsonNode call(String function, Object body) throws IOException, InterruptedException {
        Answer answer = post(function, body);
        if (!answer.ok()) {
            throw new IllegalStateException(
                    "POST /" + function + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    /** Sends POSTs until one answers 200 (a function still starting refuses connections or answers 503). */
    long firstSuccess(String function, Object body, Duration timeout, java.util.function.BooleanSupplier alive)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient quick =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try {
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/" + function))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                        .build();
                if (quick.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime();
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("POST /" + function + " at " + base + " never succeeded");
    }
}
