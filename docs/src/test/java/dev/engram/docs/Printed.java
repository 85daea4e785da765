package dev.engram.docs;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one command printed: a response (with its status line and headers when curl was given -i) or a
 * file's content.
 *
 * @param http whether the status line and headers are part of the output (curl -i)
 * @param status the HTTP status (0 for a file)
 * @param headers the response headers, names in lower case
 * @param body the body, or the file's content
 */
record Printed(boolean http, int status, Map<String, String> headers, String body) {
    private static final Map<Integer, String> REASONS = Map.of(
            200,
            "OK",
            400,
            "Bad Request",
            401,
            "Unauthorized",
            403,
            "Forbidden",
            404,
            "Not Found",
            413,
            "Request Entity Too Large",
            429,
            "Too Many Requests",
            503,
            "Service Unavailable");

    static Printed file(String content) {
        return new Printed(false, 0, Map.of(), content);
    }

    /** As curl prints it (less the content-length header). */
    String text() {
        if (!http) {
            return body.strip();
        }
        StringBuilder out = new StringBuilder("HTTP/1.1 " + status + " " + REASONS.getOrDefault(status, "") + "\n");
        // content-length is left out: it changes with any varying field (an id, a port) and says nothing new
        new TreeMap<>(headers).forEach((name, value) -> {
            if (!name.equals("content-length")) {
                out.append(name).append(": ").append(value).append('\n');
            }
        });
        return out.append('\n').append(body.strip()).toString();
    }
}
