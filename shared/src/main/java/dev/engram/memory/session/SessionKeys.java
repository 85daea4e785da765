package dev.engram.memory.session;

import dev.engram.tenant.Tenant;

/**
 * Where a session lives in Redis (under the tenant's prefix, {@link Tenant#keyPrefix(String, String)}):
 * <ul>
 * <li>{@code engram:<tenant>:wm:{<tenant>/<sessionId>}:meta} — a HASH of the session's metadata and summary;</li>
 * <li>{@code engram:<tenant>:wm:{<tenant>/<sessionId>}:turns} — a LIST of its turns as JSON, oldest first.</li>
 * </ul>
 * One Lua script touches both keys, so they share a hash tag (one slot on Redis Cluster); the tag holds
 * the session id, so a tenant's sessions spread over every shard. The braces also end the id: session
 * {@code a:turns} can never be mistaken for the turn list of session {@code a}.
 */
public record SessionKeys(String meta, String turns) {
    /** The segment of the sessions' keys. */
    public static final String SEGMENT = "wm";

    public static SessionKeys of(String tenant, String sessionId) {
        String session = Tenant.of(tenant).keyPrefix(SEGMENT, SessionId.require(sessionId));
        return new SessionKeys(session + "meta", session + "turns");
    }
}
