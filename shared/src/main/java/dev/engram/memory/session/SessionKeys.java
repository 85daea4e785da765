package dev.engram.memory.session;

import dev.engram.tenant.Tenant;

/**
 * Where a session lives in Redis (under the tenant's prefix, {@link Tenant#keyPrefix(String)}):
 * <ul>
 * <li>{@code engram:<tenant>:wm:<sessionId>} — a HASH of the session's metadata and summary;</li>
 * <li>{@code engram:<tenant>:wm-turns:<sessionId>} — a LIST of its turns as JSON, oldest first.</li>
 * </ul>
 * The turns get their own segment ({@code wm-turns}, not a {@code :turns} suffix) because session ids
 * may contain ':' — with a suffix, session {@code a:turns} would be the turn list of session {@code a}.
 *
 * <p>Both keys of a session are always touched together by one Lua script, so on Redis Cluster they
 * would need a hash tag; Engram targets a single Redis (or a primary with replicas).
 */
public record SessionKeys(String meta, String turns) {
    /** The segment of the sessions' metadata hashes. */
    public static final String META = "wm";
    /** The segment of the sessions' turn lists. */
    public static final String TURNS = "wm-turns";

    public static SessionKeys of(String tenant, String sessionId) {
        Tenant owner = Tenant.of(tenant);
        SessionId.require(sessionId);
        return new SessionKeys(owner.keyPrefix(META) + sessionId, owner.keyPrefix(TURNS) + sessionId);
    }
}
