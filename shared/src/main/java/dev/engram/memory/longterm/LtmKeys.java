package dev.engram.memory.longterm;

import dev.engram.memory.session.SessionKeys;

/**
 * Where a tenant's long-term memory lives in Redis (all under {@code engram:<tenant>:ltm:}):
 * <ul>
 * <li>{@code m:<id>} — a HASH per memory: text, tags (comma-joined), userId, sessionId, createdAt,
 *     source, vec (384 float32, little-endian). The query engine indexes these hashes.</li>
 * <li>{@code vec} — a HASH id → the same vector bytes, and {@code meta} — id → the filter fields
 *     ({@code createdAt|userId|sessionId|tag,tag}): what a warm instance loads to scan in the JVM.</li>
 * <li>{@code version} — a HASH {epoch, n}: n is incremented by every write and forget in the same
 *     script as the change, epoch is a random id set by the first change; never deleted by forget, so
 *     a cached version can never be mistaken for a newer state (not even after Redis lost its data).</li>
 * <li>{@code user:<userId>}, {@code session:<sessionId>} — SETs of ids, to forget by scope.</li>
 * <li>{@code idx} — the query-engine index name (Redis 8 / Stack only).</li>
 * </ul>
 * The scripts build {@code m:}, {@code user:} and {@code session:} keys from the prefix themselves, so
 * like sessions this layout targets a single Redis, not Cluster.
 */
public record LtmKeys(String tenant, String prefix) {

    public static LtmKeys of(String tenant) {
        if (tenant == null || !SessionKeys.TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("A tenant is 1 to 64 characters from A-Z a-z 0-9 _ -, got '" + tenant + "'");
        }
        return new LtmKeys(tenant, "engram:" + tenant + ":ltm:");
    }

    public String memory(String id) {
        return prefix + "m:" + id;
    }

    public String vectors() {
        return prefix + "vec";
    }

    public String meta() {
        return prefix + "meta";
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
