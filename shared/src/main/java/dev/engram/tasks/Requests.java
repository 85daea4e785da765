package dev.engram.tasks;

import dev.engram.errors.InvalidRequestException;

/** The checks every task applies to its request fields, with messages that name the field. */
public final class Requests {
    /** Longest text field accepted, in characters; longer input is refused before tokenizing. */
    public static final int MAX_TEXT_CHARS = 200_000;

    private Requests() {}

    /** Funqy passes null when the POST has no body at all. */
    public static <T> T body(T request) {
        if (request == null) {
            throw new InvalidRequestException("missing_body", "A JSON request body is required");
        }
        return request;
    }

    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new InvalidRequestException("missing_field", "'" + field + "' is required");
        }
        return value;
    }

    public static String text(String value, String field) {
        if (value != null && value.length() > MAX_TEXT_CHARS) {
            throw new InvalidRequestException(
                    "too_long", "'" + field + "' is " + value.length() + " characters; the limit is " + MAX_TEXT_CHARS);
        }
        return value;
    }

    /**
     * True when the text has nothing to read: only whitespace, control characters or separators. Wider
     * than {@link String#isBlank()}, which keeps "\u0000" or "\u0007" as content the embedder then refuses.
     */
    public static boolean blank(String text) {
        return text.codePoints()
                .allMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c));
    }

    public static void range(Number value, String field, double min, double max) {
        if (value != null && !(value.doubleValue() >= min && value.doubleValue() <= max)) {
            throw new InvalidRequestException(
                    "out_of_range",
                    "'" + field + "' must be between " + plain(min) + " and " + plain(max) + ", got " + value);
        }
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
