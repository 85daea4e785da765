package dev.engram.batch;

import dev.engram.redis.LuaScript;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.tenant.TenantData;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Every Redis operation of batch jobs (keys: {@link BatchKeys}; atomic steps: {@link BatchScripts}). */
@ApplicationScoped
public class BatchStore implements TenantData {
    private static final LuaScript READ_META = LuaScript.of("batch-read-meta", "return redis.call('HGETALL', KEYS[1])");

    /** The job's state and the input lines claimed (none when there was nothing to take). */
    public record Claim(String state, List<Line> lines) {}

    /** A claimed input line: its stream entry id ({@code <line>-0}) and fields. */
    public record Line(String entryId, Map<String, String> fields) {
        public long number() {
            return Long.parseLong(entryId.substring(0, entryId.indexOf('-')));
        }
    }

    /** A result in the job's results stream. */
    public record Result(String id, String json) {}

    private final RedisGateway redis;

    public BatchStore(RedisGateway redis) {
        this.redis = redis;
    }

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public List<String> segments() {
        return List.of(BatchKeys.SEGMENT);
    }

    /** The tenant's jobs are gone: so are their entries in the one cross-tenant key, the set of unfinished jobs. */
    @Override
    public long eraseElsewhere(Tenant tenant) {
        List<String> members = new ArrayList<>();
        for (Response member : redis.execute(Command.SMEMBERS, BatchKeys.GLOBAL_UNFINISHED)) {
            if (member.toString().startsWith(tenant.id() + "/")) {
                members.add(member.toString());
            }
        }
        if (members.isEmpty()) {
            return 0;
        }
        members.addFirst(BatchKeys.GLOBAL_UNFINISHED);
        return redis.execute(Command.SREM, members.toArray(String[]::new)).toLong();
    }

    /** Ties an idempotency key to a job id; returns the job id already tied to it, or null when this call won. */
    public String reserveEvent(String tenant, String key, String jobId, Duration ttl) {
        String eventKey = BatchKeys.event(tenant, key);
        Response set = redis.execute(Command.SET, eventKey, jobId, "NX", "PX", Long.toString(ttl.toMillis()));
        if (set != null && "OK".equals(set.toString())) {
            return null;
        }
        Response existing = redis.execute(Command.GET, eventKey);
        return existing == null ? jobId : existing.toString();
    }

    public void releaseEvent(String tenant, String key) {
        redis.execute(Command.DEL, BatchKeys.event(tenant, key));
    }

    /** Creates the job (state loading) unless it exists; returns whether it was created. */
    public boolean create(BatchKeys keys, Map<String, String> fields) {
        if (redis.execute(Command.HSETNX, keys.meta(), "state", BatchStatus.LOADING)
                        .toLong()
                == 0) {
            return false;
        }
        List<String> args = new ArrayList<>();
        args.add(keys.meta());
        fields.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        redis.execute(Command.HSET, args.toArray(String[]::new));
        redis.execute(Command.XGROUP, "CREATE", keys.in(), BatchKeys.GROUP, "0", "MKSTREAM");
        redis.execute(Command.SADD, BatchKeys.GLOBAL_UNFINISHED, keys.globalMember());
        return true;
    }

    /** Appends lines given as (n, customId, field, value) quadruples; returns the last line number stored. */
    public long addLines(BatchKeys keys, List<String> quadruples) {
        List<String> args = new ArrayList<>(quadruples.size() + 1);
        args.add(Long.toString(System.currentTimeMillis()));
        args.addAll(quadruples);
        return redis.eval(BatchScripts.ADD_LINES, List.of(keys.in(), keys.ids(), keys.meta()), args)
                .toLong();
    }

    public Map<String, String> meta(BatchKeys keys) {
        Response flat = redis.eval(READ_META, List.of(keys.meta()), List.of());
        return pairs(flat);
    }

    public void setFields(BatchKeys keys, String... fieldValues) {
        String[] args = new String[fieldValues.length + 1];
        args[0] = keys.meta();
        System.arraycopy(fieldValues, 0, args, 1, fieldValues.length);
        redis.execute(Command.HSET, args);
    }

    /** Up to {@code most} lines for {@code consumer}: new ones, else ones idle longer than {@code claimIdle}. */
    public Claim claim(BatchKeys keys, String consumer, Duration claimIdle, int most) {
        Response reply = redis.eval(
                BatchScripts.CLAIM,
                List.of(keys.meta(), keys.in()),
                List.of(BatchKeys.GROUP, consumer, Long.toString(claimIdle.toMillis()), Integer.toString(most)));
        List<Line> lines = new ArrayList<>((reply.size() - 1) / 2);
        for (int i = 1; i + 1 < reply.size(); i += 2) {
            lines.add(new Line(reply.get(i).toString(), pairs(reply.get(i + 1))));
        }
        return new Claim(reply.get(0).toString(), lines);
    }

    /**
     * Hands claimed lines back unrun (a cancel, or a line that failed in the middle of a claim): they
     * become idle for {@code claimIdle} at once, so any runner's next claim takes them instead of waiting.
     */
    public void release(BatchKeys keys, String consumer, List<Line> lines, Duration claimIdle) {
        if (lines.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(List.of(keys.in(), BatchKeys.GROUP, consumer, "0"));
        lines.forEach(line -> args.add(line.entryId()));
        args.addAll(List.of("IDLE", Long.toString(claimIdle.toMillis()), "JUSTID"));
        redis.execute(Command.XCLAIM, args.toArray(String[]::new));
    }

    /** The job's state alone: a read Redis answers without waiting for a disk sync. */
    public String state(BatchKeys keys) {
        Response state = redis.execute(Command.HGET, keys.meta(), "state");
        return state == null ? "missing" : state.toString();
    }

    /**
     * Commits a line's result (exactly once, see {@link BatchScripts#COMMIT}) without waiting: the
     * supplier waits for the acknowledgement, which comes after Redis synced the write.
     */
    public Supplier<Response> commitLater(
            BatchKeys keys, String consumer, String entryId, String resultJson, boolean failed) {
        return redis.evalLater(
                BatchScripts.COMMIT,
                List.of(keys.in(), keys.out(), keys.done(), keys.meta()),
                List.of(
                        BatchKeys.GROUP,
                        entryId,
                        resultJson,
                        failed ? "1" : "0",
                        Long.toString(System.currentTimeMillis()),
                        consumer));
    }

    public boolean lease(BatchKeys keys, String owner, Duration lease) {
        return redis.eval(BatchScripts.LEASE, List.of(keys.sink()), List.of(owner, Long.toString(lease.toMillis())))
                        .toLong()
                == 1;
    }

    public boolean checkpoint(BatchKeys keys, String owner, String id, long offset, long written) {
        return redis.eval(
                                BatchScripts.CHECKPOINT,
                                List.of(keys.sink(), keys.meta()),
                                List.of(owner, id, Long.toString(offset), Long.toString(written)))
                        .toLong()
                == 1;
    }

    /** Results after {@code afterId} (exclusive), oldest first. */
    public List<Result> results(BatchKeys keys, String afterId, int count) {
        Response reply =
                redis.execute(Command.XRANGE, keys.out(), "(" + afterId, "+", "COUNT", Integer.toString(count));
        List<Result> results = new ArrayList<>(reply.size());
        for (Response entry : reply) {
            results.add(new Result(entry.get(0).toString(), pairs(entry.get(1)).get("r")));
        }
        return results;
    }

    /** A producer's input stream: entries after {@code afterId}, each entry's {@code line} field (null when it has none). */
    public List<Map.Entry<String, String>> inputStream(String key, String afterId, int count) {
        Response reply = redis.execute(Command.XRANGE, key, "(" + afterId, "+", "COUNT", Integer.toString(count));
        List<Map.Entry<String, String>> lines = new ArrayList<>(reply == null ? 0 : reply.size());
        if (reply != null) {
            for (Response entry : reply) {
                lines.add(new java.util.AbstractMap.SimpleEntry<>(
                        entry.get(0).toString(), pairs(entry.get(1)).get("line")));
            }
        }
        return lines;
    }

    public boolean exists(String key) {
        return redis.execute(Command.EXISTS, key).toLong() == 1;
    }

    /**
     * Moves the job from one of {@code expected} states to {@code state}, keeping the set of unfinished
     * jobs in step. The set is another key (another shard on Redis Cluster), so it is changed beside
     * the script, never inside it: a job that becomes unfinished is added before and after its move
     * (no instant where a running job is missing from it, even if a poller dropped it as finished in
     * between), a finished one removed after its move. A stale member left by a crash in between is
     * dropped by the next poll that finds its job finished.
     */
    public boolean transition(
            BatchKeys keys, String expected, String state, boolean unfinished, String... fieldValues) {
        if (unfinished) {
            markUnfinished(keys);
        }
        List<String> args = new ArrayList<>(List.of(expected, state));
        args.addAll(List.of(fieldValues));
        boolean moved =
                redis.eval(BatchScripts.TRANSITION, List.of(keys.meta()), args).toLong() == 1;
        if (moved && unfinished) {
            markUnfinished(keys);
        } else if (moved) {
            markFinished(keys);
        }
        return moved;
    }

    /** Lists the job in the set of unfinished jobs. */
    public void markUnfinished(BatchKeys keys) {
        redis.execute(Command.SADD, BatchKeys.GLOBAL_UNFINISHED, keys.globalMember());
    }

    /** Drops the job from the set of unfinished jobs. */
    public void markFinished(BatchKeys keys) {
        redis.execute(Command.SREM, BatchKeys.GLOBAL_UNFINISHED, keys.globalMember());
    }

    /** Every unfinished job of every tenant, as {@code <tenant>/<jobId>}. */
    public Set<String> unfinished() {
        Set<String> members = new HashSet<>();
        Response reply = redis.execute(Command.SMEMBERS, BatchKeys.GLOBAL_UNFINISHED);
        if (reply != null) {
            reply.forEach(r -> members.add(r.toString()));
        }
        return members;
    }

    /** A finished job's keys expire after the retention time. */
    public void expire(BatchKeys keys, Duration retention) {
        for (String key : keys.jobKeys()) {
            redis.execute(Command.PEXPIRE, key, Long.toString(retention.toMillis()));
        }
    }

    /** Removes a job that could not be loaded (too large, unreadable). */
    public void delete(BatchKeys keys) {
        List<String> all = new ArrayList<>(keys.jobKeys());
        redis.execute(Command.DEL, all.toArray(String[]::new));
        markFinished(keys);
    }

    private static Map<String, String> pairs(Response flat) {
        Map<String, String> map = new LinkedHashMap<>();
        if (flat == null) {
            return map;
        }
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(
                    flat.get(i).toString(),
                    flat.get(i + 1) == null ? null : flat.get(i + 1).toString());
        }
        return map;
    }
}
