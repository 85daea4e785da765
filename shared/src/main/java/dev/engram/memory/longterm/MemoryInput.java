package dev.engram.memory.longterm;

import dev.engram.errors.InvalidRequestException;
import dev.engram.memory.session.SessionId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks on long-term memory input, each a 400 naming the field. Ids, user ids and tags become
 * parts of Redis keys and index queries, so they share the session id's safe character set.
 */
final class MemoryInput {
    static final int MAX_TAGS = 16;
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    static final Pattern ID = SessionId.PATTERN;

    private MemoryInput() {}

    static String text(String text, String field, int maxChars) {
        if (text == null) {
            throw new InvalidRequestException("missing_field", "'" + field + "' is required");
        }
        if (text.codePoints()
                .allMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c))) {
            // wider than isBlank(): control characters alone are nothing to embed either
            throw new InvalidRequestException("empty_text", "'" + field + "' must not be empty or blank");
        }
        if (text.length() > maxChars) {
            throw new InvalidRequestException(
                    "too_long", "'" + field + "' is " + text.length() + " characters; the limit is " + maxChars);
        }
        return text;
    }

    static List<String> tags(List<String> tags, String field) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw new InvalidRequestException(
                    "out_of_range", "'" + field + "' takes at most " + MAX_TAGS + " tags, got " + tags.size());
        }
        for (String tag : tags) {
            if (tag == null || !TAG.matcher(tag).matches()) {
                throw new InvalidRequestException(
                        "invalid_tag",
                        "each of '" + field + "' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -, got "
                                + (tag == null
                                        ? "null"
                                        : "'" + (tag.length() > 40 ? tag.substring(0, 40) + "..." : tag) + "'"));
            }
        }
        return List.copyOf(new LinkedHashSet<>(tags));
    }

    /** An optional id-like field (userId, sessionId, id): null passes, anything else must be a safe id. */
    static String id(String value, String field) {
        if (value != null && !ID.matcher(value).matches()) {
            throw new InvalidRequestException(
                    "invalid_" + snake(field),
                    "'" + field + "' must be 1 to " + SessionId.MAX_LENGTH + " characters from A-Z a-z 0-9 . _ : -");
        }
        return value;
    }

    static RecallFilter filter(RecallFilter f) {
        RecallFilter filter = RecallFilter.orNone(f);
        id(filter.userId(), "userId");
        id(filter.sessionId(), "sessionId");
        List<String> tags = filter.tags() == null ? null : tags(filter.tags(), "filters.tags");
        if (filter.from() != null && filter.to() != null && filter.from() > filter.to()) {
            throw new InvalidRequestException(
                    "invalid_filter",
                    "'filters.from' (" + filter.from() + ") is after 'filters.to' (" + filter.to() + ")");
        }
        return new RecallFilter(filter.userId(), filter.sessionId(), tags, filter.from(), filter.to());
    }

    private static String snake(String field) {
        return field.replaceAll("([A-Z])", "_$1").toLowerCase();
    }
}
