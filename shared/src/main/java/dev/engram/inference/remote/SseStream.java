package dev.engram.inference.remote;

import dev.engram.errors.UnavailableException;
import dev.engram.inference.Cancellation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code data:} payloads of a server-sent-event response, up to {@code [DONE]}. A watchdog closes
 * the connection when the caller cancels or the server sends nothing for the read timeout; closing it
 * wakes the blocked read and tells the server to stop.
 */
final class SseStream implements AutoCloseable {
    private static final long CHECK_MILLIS = 50;

    private final InputStream body;
    private final BufferedReader reader;
    private final Duration readTimeout;
    private final Cancellation cancellation;
    private final URI server;
    private final ScheduledFuture<?> check;
    private volatile long lastRead = System.nanoTime();
    private volatile boolean timedOut;
    private boolean done;

    SseStream(
            InputStream body,
            ScheduledExecutorService watchdog,
            Duration readTimeout,
            Cancellation cancellation,
            URI server) {
        this.body = body;
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        this.readTimeout = readTimeout;
        this.cancellation = cancellation;
        this.server = server;
        this.check = watchdog.scheduleWithFixedDelay(this::watch, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void watch() {
        if (System.nanoTime() - lastRead > readTimeout.toNanos()) {
            timedOut = true;
            closeBody();
        } else if (cancellation.isCancelled() || cancellation.expired()) {
            closeBody();
        }
    }

    /** The next event's data, or null at {@code [DONE]}, at the end of the stream, or once cancelled or past the deadline. */
    String next() {
        if (done) {
            return null;
        }
        StringBuilder data = new StringBuilder();
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lastRead = System.nanoTime();
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        break; // an event ends at a blank line
                    }
                    continue;
                }
                if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
                // comments (": keep-alive"), event:, id: and retry: lines carry nothing we use
            }
            if (line == null && data.isEmpty() || "[DONE]".contentEquals(data)) {
                done = true;
                return null;
            }
            return data.toString();
        } catch (IOException e) {
            done = true;
            if (cancellation.isCancelled() || cancellation.expired()) {
                return null;
            }
            throw new UnavailableException(
                    "remote_unavailable",
                    timedOut
                            ? "The inference server at " + server + " sent nothing for " + readTimeout.toMillis()
                                    + " ms mid-stream"
                            : "The stream from the inference server at " + server + " broke: " + e.getMessage(),
                    Duration.ofSeconds(1),
                    e);
        }
    }

    private void closeBody() {
        try {
            body.close();
        } catch (IOException e) {
            // closing is all we wanted
        }
    }

    @Override
    public void close() {
        check.cancel(false);
        closeBody();
    }
}
