package dev.engram.batch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into lines without ever holding more than {@code maxBytes} of one: a longer line
 * is reported by its size (and its first bytes, to find its customId) and skipped. Blank lines are not
 * lines. {@code \r\n} endings are accepted.
 */
final class BoundedLines {
    /** A line: its text, or for an oversize line null text, its size and its head. */
    record Line(String text, long bytes, String head) {
        boolean oversize() {
            return text == null;
        }
    }

    private static final int HEAD = 1024;
    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;

    BoundedLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next non-blank line, or null at the end. */
    Line next() throws IOException {
        while (true) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long size = 0;
            boolean any = false;
            while (true) {
                if (position == limit) {
                    limit = in.read(buffer);
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        if (!any) {
                            return null;
                        }
                        break;
                    }
                }
                any = true;
                byte b = buffer[position++];
                if (b == '\n') {
                    break;
                }
                size++;
                if (size <= maxBytes + 1L) { // one past the limit may be a '\r'
                    line.write(b);
                } else if (line.size() > HEAD) {
                    // beyond the limit only the head is kept
                    byte[] head = line.toByteArray();
                    line = new ByteArrayOutputStream();
                    line.write(head, 0, HEAD);
                }
            }
            byte[] bytes = line.toByteArray();
            if (size > 0 && size <= bytes.length && bytes[bytes.length - 1] == '\r') {
                size--;
                bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
            }
            if (size > maxBytes) {
                int head = Math.min(HEAD, bytes.length);
                return new Line(null, size, new String(bytes, 0, head, StandardCharsets.UTF_8));
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                return new Line(text, size, null);
            }
        }
    }
}
