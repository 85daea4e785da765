package dev.engram.memory.longterm;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Which memories a recall may return; every given field must match, absent fields match anything.
 * It is also the JSON {@code filters} object of {@code POST /recall}: as a record, an unknown key is
 * refused with 400 like any unknown field.
 *
 * @param tags memories that carry all of these tags
 * @param from createdAt ≥ from (epoch ms)
 * @param to   createdAt ≤ to (epoch ms)
 */
@RegisterForReflection
public record RecallFilter(String userId, String sessionId, List<String> tags, Long from, Long to) {
    public static final RecallFilter NONE = new RecallFilter(null, null, null, null, null);

    public static RecallFilter orNone(RecallFilter filter) {
        return filter == null ? NONE : filter;
    }

    public List<String> tagsOrEmpty() {
        return tags == null ? List.of() : tags;
    }

    /** Whether a memory's metadata passes (the in-function scan's check; the query engine does it itself). */
    public boolean matches(String memoryUserId, String memorySessionId, List<String> memoryTags, long createdAt) {
        return (userId == null || userId.equals(memoryUserId))
                && (sessionId == null || sessionId.equals(memorySessionId))
                && (tags == null || memoryTags.containsAll(tags))
                && (from == null || createdAt >= from)
                && (to == null || createdAt <= to);
    }
}
