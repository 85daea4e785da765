package dev.engram.memory.promotion;

import dev.engram.tenant.Tenant;

/**
 * Where a tenant's promotion queue lives in Redis: under {@code engram:<tenant>:promo:{<tenant>}:}, the
 * tenant's {@linkplain Tenant#taggedPrefix tagged prefix} of {@link #SEGMENT}. Its hash tag is the one
 * of the tenant's long-term memory, so one script commits an entry's memories and the entry itself on
 * one shard of a Redis Cluster.
 * <ul>
 * <li>{@code stream} — the entries not yet done (a STREAM read by consumer group {@link #GROUP});</li>
 * <li>{@code done} — a ZSET entry id → time done, kept {@code keep-done}, so an entry claimed again
 *     from a worker thought dead is not applied twice;</li>
 * <li>{@code attempts} — a HASH entry id → tries so far;</li>
 * <li>{@code counts} — a HASH {@code pending:<sessionId>} and {@code failed:<sessionId>} → entries;</li>
 * <li>{@code dead} — a STREAM of entries that failed every attempt, with the last error;</li>
 * <li>{@code queued} — a ZSET name → time queued, of entries queued once by name (a session's folds),
 *     kept as long as a session lives;</li>
 * <li>{@code strategy:<sessionId>} — a session's own strategy (a STRING, JSON), expiring with the session.</li>
 * </ul>
 * Beside them, {@link #TENANTS} (one cross-tenant SET, touched by single-key commands only) lists the
 * tenants whose queue may hold work.
 */
public record PromotionKeys(String tenant, String prefix) {
    public static final String SEGMENT = "promo";
    public static final String GROUP = "promoters";
    public static final String TENANTS = "engram:promotion-tenants";

    public static PromotionKeys of(String tenant) {
        return new PromotionKeys(tenant, Tenant.of(tenant).taggedPrefix(SEGMENT));
    }

    public String stream() {
        return prefix + "stream";
    }

    public String done() {
        return prefix + "done";
    }

    public String attempts() {
        return prefix + "attempts";
    }

    public String counts() {
        return prefix + "counts";
    }

    public String dead() {
        return prefix + "dead";
    }

    public String queued() {
        return prefix + "queued";
    }

    public String strategy(String sessionId) {
        return prefix + "strategy:" + sessionId;
    }

    static String pending(String sessionId) {
        return sessionId == null ? null : "pending:" + sessionId;
    }

    static String failed(String sessionId) {
        return "failed:" + sessionId;
    }
}
