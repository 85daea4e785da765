package dev.engram.memory.promotion;

import dev.engram.memory.MemoryConfig;
import dev.engram.memory.longterm.EntryCommit;
import dev.engram.memory.session.Turn;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.tenant.TenantData;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The durable queue of turns waiting to become long-term memories: one Redis stream per tenant
 * ({@link PromotionKeys}), read by one consumer group, so each entry goes to one worker at a time. A
 * worker that dies holding entries loses them to the next claim after {@code claim-idle}; an entry is
 * done when its memories are written, in the same atomic step ({@link EntryCommit}); one that fails
 * {@code max-attempts} times moves to the tenant's dead letters. Nothing queued is lost.
 */
@ApplicationScoped
public class PromotionQueue implements TenantData {
    private final RedisGateway redis;
    private final PromotionConfig config;
    /** How long a name given to {@link #enqueue(String, Promotion, String)} is remembered: as long as a session. */
    private final Duration keepNames;

    public PromotionQueue(RedisGateway redis, PromotionConfig config, MemoryConfig memoryConfig) {
        this.redis = redis;
        this.config = config;
        this.keepNames = memoryConfig.sessionTtl();
    }

    /** Queues the turns (one atomic step) and lists the tenant as having work; answers the entry id. */
    public String enqueue(String tenant, Promotion p) {
        return enqueue(tenant, p, null);
    }

    /**
     * Like {@link #enqueue(String, Promotion)}, but only once per {@code once}: a name queued within the
     * session TTL before is not queued again (the answer is then null). For callers that may retry a
     * hand-off whose first try did get through.
     */
    public String enqueue(String tenant, Promotion p, String once) {
        PromotionKeys keys = PromotionKeys.of(tenant);
        List<String> args = new ArrayList<>(List.of(
                PromotionKeys.GROUP,
                nz(PromotionKeys.pending(p.sessionId())),
                nz(once),
                Long.toString(System.currentTimeMillis()),
                Long.toString(keepNames.toMillis())));
        args.addAll(fields(p));
        args.addAll(List.of("at", Long.toString(p.queuedAt())));
        String id = redis.write(PromotionScripts.ENQUEUE, List.of(keys.stream(), keys.counts(), keys.queued()), args)
                .toString();
        redis.execute(Command.SADD, PromotionKeys.TENANTS, tenant);
        return id.isEmpty() ? null : id;
    }

    /** Up to {@code most} entries of the tenant for {@code consumer}: new ones, else a dead or backed-off worker's. */
    public List<Promotion> claim(String tenant, String consumer, int most) {
        PromotionKeys keys = PromotionKeys.of(tenant);
        Response reply = redis.eval(
                PromotionScripts.CLAIM,
                List.of(keys.stream(), keys.attempts()),
                List.of(
                        PromotionKeys.GROUP,
                        consumer,
                        Long.toString(config.claimIdle().toMillis()),
                        Integer.toString(most)));
        List<Promotion> claimed = new ArrayList<>();
        for (int i = 0; i + 2 < reply.size(); i += 3) {
            Map<String, String> f = pairs(reply.get(i + 1));
            claimed.add(new Promotion(
                    reply.get(i).toString(),
                    blankToNull(f.get("s")),
                    blankToNull(f.get("u")),
                    f.get("k"),
                    blankToNull(f.get("i")),
                    turns(f.get("t")),
                    Long.parseLong(f.getOrDefault("at", "0")),
                    reply.get(i + 2).toInteger()));
        }
        return claimed;
    }

    /** How the entry is committed with its memories: acknowledged, deleted, recorded as done, uncounted. */
    public EntryCommit commit(String tenant, Promotion p) {
        PromotionKeys keys = PromotionKeys.of(tenant);
        return new EntryCommit(
                keys.stream(),
                PromotionKeys.GROUP,
                p.entryId(),
                keys.done(),
                keys.counts(),
                PromotionKeys.pending(p.sessionId()),
                keys.attempts(),
                config.keepDone());
    }

    /** The entry's own fields, as its stream entry and its dead letter hold them. */
    private static List<String> fields(Promotion p) {
        return List.of(
                "s",
                nz(p.sessionId()),
                "u",
                nz(p.userId()),
                "k",
                p.strategy(),
                "i",
                nz(p.instruction()),
                "t",
                turnsJson(p.turns()));
    }

    /**
     * An attempt failed: a later claim takes the entry again after the backoff (the entry is made to
     * look idle for claim-idle minus the backoff), or, after the last attempt, it goes to the dead
     * letters. Answers whether it was dead-lettered.
     */
    public boolean failed(String tenant, String consumer, Promotion p, String error) {
        PromotionKeys keys = PromotionKeys.of(tenant);
        if (p.attempt() >= config.maxAttempts()) {
            List<String> args = new ArrayList<>(List.of(
                    PromotionKeys.GROUP,
                    p.entryId(),
                    Long.toString(System.currentTimeMillis()),
                    nz(PromotionKeys.pending(p.sessionId())),
                    p.sessionId() == null ? "" : PromotionKeys.failed(p.sessionId()),
                    "entry",
                    p.entryId()));
            args.addAll(fields(p));
            args.addAll(List.of(
                    "attempts",
                    Integer.toString(p.attempt()),
                    "error",
                    error,
                    "at",
                    Long.toString(System.currentTimeMillis())));
            redis.write(
                    PromotionScripts.DEAD,
                    List.of(keys.stream(), keys.dead(), keys.done(), keys.counts(), keys.attempts()),
                    args);
            return true;
        }
        long idle = Math.max(0, config.claimIdle().minus(backoff(p.attempt())).toMillis());
        redis.execute(
                Command.XCLAIM,
                keys.stream(),
                PromotionKeys.GROUP,
                consumer,
                "0",
                p.entryId(),
                "IDLE",
                Long.toString(idle),
                "JUSTID");
        return false;
    }

    /** The wait before attempt {@code attempt + 1}: retry-backoff doubled per attempt, at most claim-idle. */
    Duration backoff(int attempt) {
        Duration wait = config.retryBackoff().multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
        return wait.compareTo(config.claimIdle()) > 0 ? config.claimIdle() : wait;
    }

    /** Sets the strategy of the session's later folds; it expires after {@code ttl}, as the session does. */
    public void chooseForSession(String tenant, String sessionId, SessionStrategy choice, Duration ttl) {
        JsonObject json = new JsonObject().put("strategy", choice.strategy()).put("instruction", choice.instruction());
        redis.execute(
                Command.SET,
                PromotionKeys.of(tenant).strategy(sessionId),
                json.encode(),
                "PX",
                Long.toString(ttl.toMillis()));
    }

    /** The session's own strategy, or null when it has none. */
    public SessionStrategy sessionStrategy(String tenant, String sessionId) {
        Response json = redis.execute(Command.GET, PromotionKeys.of(tenant).strategy(sessionId));
        if (json == null) {
            return null;
        }
        JsonObject choice = new JsonObject(json.toString());
        return new SessionStrategy(choice.getString("strategy"), choice.getString("instruction"));
    }

    /** What of a session is still on its way to long-term memory. */
    public PendingPromotions pending(String tenant, String sessionId) {
        Response r = redis.execute(
                Command.HMGET,
                PromotionKeys.of(tenant).counts(),
                PromotionKeys.pending(sessionId),
                PromotionKeys.failed(sessionId));
        return new PendingPromotions(count(r.get(0)), count(r.get(1)));
    }

    /** The tenant's dead letters, oldest first, at most {@code count}. */
    public List<DeadLetter> deadLetters(String tenant, int count) {
        Response reply = redis.execute(
                Command.XRANGE, PromotionKeys.of(tenant).dead(), "-", "+", "COUNT", Integer.toString(count));
        List<DeadLetter> out = new ArrayList<>();
        for (Response e : reply) {
            Map<String, String> f = pairs(e.get(1));
            out.add(new DeadLetter(
                    e.get(0).toString(),
                    f.get("entry"),
                    blankToNull(f.get("s")),
                    blankToNull(f.get("u")),
                    f.get("k"),
                    Integer.parseInt(f.get("attempts")),
                    f.get("error"),
                    Long.parseLong(f.get("at")),
                    f.get("t")));
        }
        return out;
    }

    /** The tenants whose queue may hold work. */
    public Set<String> tenants() {
        Set<String> tenants = new LinkedHashSet<>();
        redis.execute(Command.SMEMBERS, PromotionKeys.TENANTS).forEach(r -> tenants.add(r.toString()));
        return tenants;
    }

    /**
     * Drops the tenant from the list of tenants with work when its stream holds no entry; a concurrent
     * enqueue adds it back after its entry is in, so no work is left unlisted.
     */
    public void forgetIfIdle(String tenant) {
        String stream = PromotionKeys.of(tenant).stream();
        if (redis.execute(Command.XLEN, stream).toLong() > 0) {
            return;
        }
        redis.execute(Command.SREM, PromotionKeys.TENANTS, tenant);
        if (redis.execute(Command.XLEN, stream).toLong() > 0) {
            redis.execute(Command.SADD, PromotionKeys.TENANTS, tenant);
        }
    }

    @Override
    public String name() {
        return "promotion";
    }

    @Override
    public List<String> segments() {
        return List.of(PromotionKeys.SEGMENT);
    }

    @Override
    public long eraseElsewhere(Tenant tenant) {
        return redis.execute(Command.SREM, PromotionKeys.TENANTS, tenant.id()).toLong();
    }

    static String turnsJson(List<Turn> turns) {
        JsonArray out = new JsonArray();
        turns.forEach(t -> out.add(new JsonObject()
                .put("role", t.role())
                .put("text", t.text())
                .put("tokens", t.tokens())
                .put("timestamp", t.timestamp())));
        return out.encode();
    }

    static List<Turn> turns(String json) {
        List<Turn> out = new ArrayList<>();
        if (json != null) {
            new JsonArray(json).forEach(o -> {
                JsonObject t = (JsonObject) o;
                out.add(new Turn(
                        t.getString("role"),
                        t.getString("text"),
                        t.getInteger("tokens", 0),
                        t.getLong("timestamp", 0L)));
            });
        }
        return out;
    }

    private static Map<String, String> pairs(Response flat) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; flat != null && i + 1 < flat.size(); i += 2) {
            map.put(
                    flat.get(i).toString(),
                    flat.get(i + 1) == null ? null : flat.get(i + 1).toString());
        }
        return map;
    }

    private static long count(Response r) {
        return r == null ? 0 : Math.max(0, r.toLong());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
