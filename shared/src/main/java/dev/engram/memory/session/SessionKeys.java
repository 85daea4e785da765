package dev.engram.memory.session;

import dev.engram.tenant.Tenant;
import java.util.List;

/**
 * Where a session lives in Redis (under the tenant's prefix, {@link Tenant#keyPrefix(String, String)}):
 * <ul>
 * <li>{@code engram:<tenant>:wm:{<tenant>/<sessionId>}:meta} — a HASH of the session's metadata and summary;</li>
 * <li>{@code engram:<tenant>:wm:{<tenant>/<sessionId>}:turns} — a LIST of its turns as JSON, oldest first;</li>
 * <li>{@code engram:<tenant>:wm:{<tenant>/<sessionId>}:handoff} — a LIST of folds whose turns are still to
 * be handed on (queued for long-term memory), each as JSON {@code {"seq": …, "turns": […]}}.</li>
 * </ul>
 * One Lua script touches all three keys, so they share a hash tag (one slot on Redis Cluster); the tag holds
 * the session id, so a tenant's sessions spread over every shard. The braces also end the id: session
 * {@code a:turns} can never be mistaken for the turn list of session {@code a}.
 */
public record SessionKeys(String meta, String turns, String handoff) {
    /** The segment of the sessions' keys. */
    public static final String SEGMENT = "wm";

    public static SessionKeys of(String tenant, String sessionId) {
        String session = Tenant.of(tenant).keyPrefix(SEGMENT, SessionId.require(sessionId));
        return new SessionKeys(session + "meta", session + "turns", session + "handoff");
    }

    /** The keys in the order the session scripts take them. */
    public List<String> all() {
        return List.of(meta, turns, handoff);
    }
}
