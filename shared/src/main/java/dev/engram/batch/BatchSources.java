package dev.engram.batch;

import dev.engram.errors.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** A job's input, line by line: a file, an http(s) URL, or a Redis stream of {@code line} fields. */
interface BatchSources extends AutoCloseable {

    /** The next line, or null at the end. */
    BoundedLines.Line next() throws IOException;

    @Override
    void close() throws IOException;

    static BatchSources file(Path path, int maxLineBytes) {
        try {
            return of(Files.newInputStream(path), maxLineBytes, () -> {});
        } catch (IOException e) {
            throw new InvalidRequestException("input_not_found", "Cannot read the input file " + path + ": " + e.getMessage());
        }
    }

    static BatchSources url(String url, int maxLineBytes) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                client.close();
                throw new InvalidRequestException("input_not_found", "The input URL answered " + response.statusCode() + ": " + url);
            }
            return of(response.body(), maxLineBytes, client::close);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidRequestException("input_not_found", "Cannot read the input URL " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }

    /** The lines of {@code in}; closing closes {@code in}, then {@code alsoClose} (what {@code in} came from). */
    private static BatchSources of(InputStream in, int maxLineBytes, Runnable alsoClose) {
        BoundedLines lines = new BoundedLines(in, maxLineBytes);
        return new BatchSources() {
            @Override
            public BoundedLines.Line next() throws IOException {
                return lines.next();
            }

            @Override
            public void close() throws IOException {
                try {
                    in.close();
                } finally {
                    alsoClose.run();
                }
            }
        };
    }

    /** Every entry of the stream is a line (an entry without a {@code line} field becomes an error line). */
    static BatchSources stream(BatchStore store, String key, int maxLineBytes) {
        return new BatchSources() {
            private final Deque<Map.Entry<String, String>> page = new ArrayDeque<>();
            private String after = "0-0";
            private boolean end;

            @Override
            public BoundedLines.Line next() {
                if (page.isEmpty() && !end) {
                    var read = store.inputStream(key, after, 500);
                    end = read.isEmpty();
                    if (!end) {
                        after = read.getLast().getKey();
                        page.addAll(read);
                    }
                }
                if (page.isEmpty()) {
                    return null;
                }
                String text = page.removeFirst().getValue();
                text = text == null ? "" : text;
                int bytes = text.getBytes(StandardCharsets.UTF_8).length;
                return bytes > maxLineBytes ? new BoundedLines.Line(null, bytes, text.substring(0, Math.min(1024, text.length())))
                        : new BoundedLines.Line(text, bytes, null);
            }

            @Override
            public void close() {}
        };
    }
}
