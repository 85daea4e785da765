package dev.engram.memory.session;

import java.util.regex.Pattern;

/**
 * Where a session lives in Redis:
 * <ul>
 * <li>{@code engram:<tenant>:wm:<sessionId>} — a HASH of the session's metadata and summary;</li>
 * <li>{@code engram:<tenant>:wm-turns:<sessionId>} — a LIST of its turns as JSON, oldest first.</li>
 * </ul>
 * The turns get their own segment ({@code wm-turns}, not a {@code :turns} suffix) because session ids
 * may contain ':' — with a suffix, session {@code a:turns} would be the turn list of session {@code a}.
 * Tenants may not contain ':' for the same reason: the tenant segment is what keeps tenants apart.
 *
 * <p>Both keys of a session are always touched together by one Lua script, so on Redis Cluster they
 * would need a hash tag; Engram targets a single Redis (or a primary with replicas).
 */
public record SessionKeys(String meta, String turns) {
    /** The tenant of every request while authentication is off (engram.auth.enabled=false). */
    public static final String DEFAULT_TENANT = "default";

    /** Tenants come from the server (auth), never from a request body: a bad one is a bug. */
    public static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public static SessionKeys of(String tenant, String sessionId) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("A tenant is 1 to 64 characters from A-Z a-z 0-9 _ -, got '" + tenant + "'");
        }
        SessionId.require(sessionId);
        return new SessionKeys("engram:" + tenant + ":wm:" + sessionId, "engram:" + tenant + ":wm-turns:" + sessionId);
    }
}
