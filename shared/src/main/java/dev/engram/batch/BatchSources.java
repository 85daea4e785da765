package dev.engram.batch;

import dev.engram.errors.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** A job's input, line by line: a tenant's file, an allowed URL, or a Redis stream of {@code line} fields. */
interface BatchSources extends AutoCloseable {

    /** The next line, or null at the end. */
    BoundedLines.Line next() throws IOException;

    @Override
    void close() throws IOException;

    /** A checked input file of the tenant whose directory is {@code dir} ({@link BatchFiles}). */
    static BatchSources file(Path path, Path dir, int maxLineBytes) {
        try {
            return of(BatchFiles.read(path, dir), maxLineBytes);
        } catch (IOException e) {
            throw new InvalidRequestException(
                    "input_unreadable", "Cannot read the input file: " + BatchFiles.reason(e));
        }
    }

    /** An input URL, fetched as {@link UrlInputs} allows. */
    static BatchSources url(UrlInputs urls, String url, int maxLineBytes) {
        try {
            return of(urls.open(url), maxLineBytes);
        } catch (IOException e) {
            throw new InvalidRequestException(
                    "input_not_found", "Cannot read the input URL " + url + ": " + e.getMessage());
        }
    }

    /** The lines of {@code in}; closing closes {@code in} (and with it what it came from). */
    private static BatchSources of(InputStream in, int maxLineBytes) {
        BoundedLines lines = new BoundedLines(in, maxLineBytes);
        return new BatchSources() {
            @Override
            public BoundedLines.Line next() throws IOException {
                return lines.next();
            }

            @Override
            public void close() throws IOException {
                in.close();
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
                return bytes > maxLineBytes
                        ? new BoundedLines.Line(null, bytes, text.substring(0, Math.min(1024, text.length())))
                        : new BoundedLines.Line(text, bytes, null);
            }

            @Override
            public void close() {}
        };
    }
}
