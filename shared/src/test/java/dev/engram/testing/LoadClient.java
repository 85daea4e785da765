package dev.engram.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small HTTP client for load from several threads (RestAssured is not meant for that): POSTs JSON and
 * returns what a load test records about the answer, with start and end times. A connection failure or
 * timeout is status 0, so it counts as an error rather than ending the load.
 */
public final class LoadClient implements AutoCloseable {
    public record Answer(int status, String body, String retryAfter, long startNanos, long endNanos) {
        public boolean startedAfter(long nanos) {
            return startNanos >= nanos;
        }

        public boolean endedBefore(long nanos) {
            return endNanos <= nanos;
        }

        /** The {@code error} code of a JSON error body, or "" (good enough for Engram's flat error bodies). */
        public String error() {
            int at = body.indexOf("\"error\":\"");
            return at < 0 ? "" : body.substring(at + 9, body.indexOf('"', at + 9));
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public Answer post(URI base, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Retry-After").orElse(null),
                    start,
                    System.nanoTime());
        } catch (IOException e) {
            return new Answer(0, e.toString(), null, start, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted", null, start, System.nanoTime());
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
