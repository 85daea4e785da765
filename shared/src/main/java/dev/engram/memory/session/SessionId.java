package dev.engram.memory.session;

import dev.engram.errors.InvalidRequestException;
import java.util.regex.Pattern;

/**
 * What a client may use as a session id: 1 to {@value #MAX_LENGTH} characters from
 * {@code A-Z a-z 0-9 . _ : -}. The set leaves out whitespace, slashes, braces and glob characters so an
 * id is safe inside a Redis key, a URL and a log line, and cannot reach another tenant's keys.
 */
public final class SessionId {
    public static final int MAX_LENGTH = 128;
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private SessionId() {}

    /** The id itself when it is valid; otherwise a 400 that says what is allowed. */
    public static String require(String sessionId) {
        if (sessionId == null) {
            throw new InvalidRequestException("missing_field", "'sessionId' is required");
        }
        if (!PATTERN.matcher(sessionId).matches()) {
            throw new InvalidRequestException(
                    "invalid_session_id",
                    "'sessionId' must be 1 to " + MAX_LENGTH + " characters from A-Z a-z 0-9 . _ : - (got "
                            + describe(sessionId) + ")");
        }
        return sessionId;
    }

    /** Enough of the bad value to recognise it, never a whole 200 kB string in an error body. */
    private static String describe(String value) {
        if (value.isEmpty()) {
            return "an empty string";
        }
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return value.length() + " characters: \"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
