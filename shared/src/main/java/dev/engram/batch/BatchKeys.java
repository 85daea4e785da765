package dev.engram.batch;

import dev.engram.tenant.Tenant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a batch job lives in Redis, all under {@code engram:<tenant>:batch:} (the tenant's prefix of
 * the segment {@link #SEGMENT}) so erasing a tenant by prefix removes its jobs. A job's own keys share
 * the hash tag {@code {<tenant>/<jobId>}} (the scripts touch several of them at once; on Redis Cluster
 * they live in one slot, and jobs spread over every shard):
 * <ul>
 * <li>{@code <job>meta} HASH — state, counts, times, input/output, sink checkpoint;</li>
 * <li>{@code <job>in} STREAM — the input lines, entry id {@code <lineNumber>-1}, consumer group {@code runners};</li>
 * <li>{@code <job>out} STREAM — one result line per input line, in completion order;</li>
 * <li>{@code <job>done} SET — input entry ids that have their result (the exactly-once guard);</li>
 * <li>{@code <job>ids} HASH — customId → first line number (duplicates);</li>
 * <li>{@code <job>sink} STRING — the lease of the instance copying results into the file;</li>
 * <li>{@code <prefix>event:<key>} STRING — idempotency key → jobId;</li>
 * <li>{@code <prefix>input:<name>} STREAM — a producer's input lines.</li>
 * </ul>
 * where {@code <prefix>} is {@code engram:<tenant>:batch:} and {@code <job>} is
 * {@code <prefix>{<tenant>/<jobId>}:}. The one cross-tenant key is {@link #GLOBAL_UNFINISHED}: a SET of
 * {@code <tenant>/<jobId>} so an instance can find every unfinished job after a restart without
 * scanning keys; it is only ever touched by single-key commands.
 */
public record BatchKeys(
        String tenant, String jobId, String meta, String in, String out, String done, String ids, String sink) {
    public static final String SEGMENT = "batch";
    public static final String GLOBAL_UNFINISHED = "engram:batch-unfinished";
    public static final String GROUP = "runners";
    public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public static BatchKeys of(String tenant, String jobId) {
        String job = Tenant.of(tenant).keyPrefix(SEGMENT, jobId);
        return new BatchKeys(
                tenant, jobId, job + "meta", job + "in", job + "out", job + "done", job + "ids", job + "sink");
    }

    public static String prefix(String tenant) {
        return Tenant.of(tenant).keyPrefix(SEGMENT);
    }

    /** The idempotency key's key; the event id is kept verbatim (it may hold ':' and '/'). */
    public static String event(String tenant, String idempotencyKey) {
        return prefix(tenant) + "event:" + idempotencyKey;
    }

    /** A producer's input stream named in a submission: inside the tenant's namespace. */
    public static String inputStream(String tenant, String name) {
        return prefix(tenant) + "input:" + name;
    }

    public String globalMember() {
        return tenant + "/" + jobId;
    }

    public List<String> jobKeys() {
        return List.of(meta, in, out, done, ids, sink);
    }
}
