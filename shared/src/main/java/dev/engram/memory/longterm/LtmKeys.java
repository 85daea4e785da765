package dev.engram.memory.longterm;

import dev.engram.tenant.Tenant;

/**
 * Where a tenant's long-term memory lives in Redis (all under {@code engram:<tenant>:ltm:{<tenant>}:}, the
 * tenant's {@linkplain Tenant#taggedPrefix tagged prefix} of the segment {@link #SEGMENT}):
 * <ul>
 * <li>{@code m:<id>} — a HASH per memory: text, tags (comma-joined), userId, sessionId, createdAt,
 *     source, vec (384 float32, little-endian). The query engine indexes these hashes.</li>
 * <li>What the in-function scan loads ({@link ScanIndex}): every memory has a slot number; slot s is
 *     row {@code s % R} of segment {@code s / R} (R = {@link Segments#ROWS} rows per segment).
 *     {@code vec:<seg>} — a STRING of R fixed-size int8 rows ({@link Vectors#toInt8Row}), written
 *     with SETRANGE; {@code meta:<seg>} — a HASH row → {@code row|id|createdAt|userId|sessionId|tag,tag}
 *     (a row is live iff it has a meta entry); {@code slots} — a HASH id → slot; {@code free} — a
 *     LIST of slots freed by forget, reused by the next new memory.</li>
 * <li>{@code version} — a HASH {epoch, n, rows, s:<seg>...}: n is incremented by every write and
 *     forget in the same script as the change, and {@code s:<seg>} set to the new n for every segment
 *     the change touched; rows is the slot high-water mark; epoch is a random id set by the first
 *     change. Never deleted by forget, so a cached version can never be mistaken for a newer state
 *     (not even after Redis lost its data). {@code model} is the embedding model of the tenant's
 *     vectors ({@link TenantModel}); {@code reembed} (the model being replaced) and {@code cursor} (the
 *     next slot) exist while they are re-embedded ({@link Reembedder}).</li>
 * <li>{@code user:<userId>}, {@code session:<sessionId>} — SETs of ids, to forget by scope.</li>
 * <li>{@code idx} — the query-engine index name (Redis 8 / Stack only).</li>
 * </ul>
 * The scripts build {@code m:}, {@code vec:}, {@code meta:}, {@code user:} and {@code session:} keys
 * from the prefix themselves: the hash tag keeps all of them in the slot of the keys a script declares,
 * so on Redis Cluster a tenant's long-term memory lives on one shard (and tenants spread over all).
 */
public record LtmKeys(String tenant, String prefix) {
    public static final String SEGMENT = "ltm";

    public static LtmKeys of(String tenant) {
        return new LtmKeys(tenant, Tenant.of(tenant).taggedPrefix(SEGMENT));
    }

    public String memory(String id) {
        return prefix + "m:" + id;
    }

    /** The int8 rows of segment {@code seg} (a STRING). */
    public String segment(int seg) {
        return prefix + "vec:" + seg;
    }

    /** The filter fields of segment {@code seg}'s live rows (a HASH row → meta line). */
    public String segmentMeta(int seg) {
        return prefix + "meta:" + seg;
    }

    public String slots() {
        return prefix + "slots";
    }

    public String freeSlots() {
        return prefix + "free";
    }

    public String version() {
        return prefix + "version";
    }

    public String user(String userId) {
        return prefix + "user:" + (userId == null ? "" : userId);
    }

    public String session(String sessionId) {
        return prefix + "session:" + (sessionId == null ? "" : sessionId);
    }

    public String index() {
        return prefix + "idx";
    }

    public String memoryPrefix() {
        return prefix + "m:";
    }
}
