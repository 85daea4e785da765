package dev.engram.memory.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.memory.MemoryConfig;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.TenantData;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Working memory: each session's recent turns, its rolling summary and its metadata, in Redis.
 *
 * <p><b>Layout</b> (see {@link SessionKeys}): a HASH {@code engram:<tenant>:wm:{<tenant>/<sessionId>}:meta} with
 * {@code summary, summaryTokens, foldedTurns, version, createdAt, updatedAt}, and a LIST
 * {@code engram:<tenant>:wm:{<tenant>/<sessionId>}:turns} of turns as JSON {@code {role,text,tokens,timestamp}},
 * oldest first, and a LIST {@code ...:handoff} of folds still to be handed on. All carry the same sliding expiry ({@code engram.memory.session-ttl}), set again by
 * every load and append.
 *
 * <p><b>Atomicity</b>: every operation is one Lua script ({@link SessionScripts}), i.e. one round
 * trip that Redis runs without interleaving other commands. So concurrent appends never lose a turn
 * or split a pair, and a fold is guarded by {@code foldedTurns}: it applies only if nobody folded since
 * the caller read the session, so racing instances fold the same turns exactly once, while turns
 * appended in the meantime are kept. No WATCH/MULTI and no retries are needed.
 *
 * <p><b>Budget</b>: a request with memory costs one {@link #load} before generation and one
 * {@link #append} after (which returns the new state, so the caller can decide on a fold without
 * another read). Redis down or unreachable: {@code 503 memory_unavailable}; the client reconnects
 * by itself when Redis is back.
 */
@ApplicationScoped
public class SessionStore implements TenantData {
    /** Our own mapper: stored turns must stay readable if a later version adds a field. */
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final RedisGateway redis;
    private final String ttlMillis;

    public SessionStore(RedisGateway redis, MemoryConfig config) {
        this.redis = redis;
        if (config.sessionTtl().toMillis() <= 0) {
            throw new IllegalArgumentException(
                    "engram.memory.session-ttl must be positive, got " + config.sessionTtl());
        }
        this.ttlMillis = Long.toString(config.sessionTtl().toMillis());
    }

    @Override
    public String name() {
        return "workingMemory";
    }

    @Override
    public List<String> segments() {
        return List.of(SessionKeys.SEGMENT);
    }

    /** The session as it is now, sliding its expiry (a use). {@link Session#absent} if there is none. */
    public Session load(String tenant, String sessionId) {
        return read(tenant, sessionId, true);
    }

    /** The session as it is now, without extending its life: for inspection. */
    public Session peek(String tenant, String sessionId) {
        return read(tenant, sessionId, false);
    }

    /**
     * Appends turns at the end, all in one atomic step (creating the session if needed), slides the
     * expiry and returns the session as it is right after.
     */
    public Session append(String tenant, String sessionId, List<Turn> newTurns) {
        SessionKeys keys = SessionKeys.of(tenant, sessionId);
        if (newTurns.isEmpty()) {
            throw new IllegalArgumentException("append needs at least one turn");
        }
        List<String> args = new ArrayList<>(newTurns.size() + 2);
        args.add(ttlMillis);
        args.add(Long.toString(System.currentTimeMillis()));
        for (Turn turn : newTurns) {
            args.add(write(turn));
        }
        Response reply = redis.write(SessionScripts.APPEND, keys.all(), args);
        return parse(tenant, sessionId, reply, 0);
    }

    /**
     * Replaces the oldest {@code count} turns with {@code newSummary} (which the caller had the model
     * write from the old summary and those turns). Applies only if the session's
     * {@link Session#foldedTurns()} is still {@code expectedFoldedTurns}, the value the caller read:
     * if another instance folded first, nothing changes and the caller gets the fresh session back.
     * With {@code handOff}, the folded turns also go on the session's hand-off list in the same atomic
     * step, where they stay until {@link #handedOff} says they were passed on.
     */
    public FoldResult fold(
            String tenant,
            String sessionId,
            long expectedFoldedTurns,
            int count,
            String newSummary,
            int summaryTokens,
            boolean handOff) {
        SessionKeys keys = SessionKeys.of(tenant, sessionId);
        Objects.requireNonNull(newSummary, "newSummary");
        if (count < 1 || summaryTokens < 0 || expectedFoldedTurns < 0) {
            throw new IllegalArgumentException(
                    "fold needs count >= 1, summaryTokens >= 0 and expectedFoldedTurns >= 0, got " + count + ", "
                            + summaryTokens + ", " + expectedFoldedTurns);
        }
        Response reply = redis.write(
                SessionScripts.FOLD,
                keys.all(),
                List.of(
                        ttlMillis,
                        Long.toString(System.currentTimeMillis()),
                        Long.toString(expectedFoldedTurns),
                        Integer.toString(count),
                        newSummary,
                        Integer.toString(summaryTokens),
                        handOff ? "1" : "0"));
        boolean applied = reply.get(0).toLong() == 1;
        return new FoldResult(applied, parse(tenant, sessionId, reply, 1));
    }

    /** {@link #fold(String, String, long, int, String, int, boolean)} guarded by the snapshot the caller folded from. */
    public FoldResult fold(Session seen, int count, String newSummary, int summaryTokens, boolean handOff) {
        return fold(seen.tenant(), seen.sessionId(), seen.foldedTurns(), count, newSummary, summaryTokens, handOff);
    }

    /** The folds on the session's hand-off list, oldest first. */
    public List<Handoff> handoffs(String tenant, String sessionId) {
        Response list =
                redis.execute(Command.LRANGE, SessionKeys.of(tenant, sessionId).handoff(), "0", "-1");
        List<Handoff> handoffs = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String json = list.get(i).toString();
            try {
                JsonNode entry = JSON.readTree(json);
                List<Turn> turns = new ArrayList<>();
                entry.path("turns").forEach(t -> turns.add(read(t.asText())));
                handoffs.add(new Handoff(entry.path("seq").asLong(), turns, json));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("A stored hand-off is not valid JSON: " + json, e);
            }
        }
        return handoffs;
    }

    /** Takes a fold off the hand-off list: its turns were passed on. */
    public void handedOff(String tenant, String sessionId, Handoff handoff) {
        redis.execute(Command.LREM, SessionKeys.of(tenant, sessionId).handoff(), "1", handoff.stored());
    }

    /** Forgets the session at once; false if there was none. */
    public boolean delete(String tenant, String sessionId) {
        SessionKeys keys = SessionKeys.of(tenant, sessionId);
        return redis.execute(Command.DEL, keys.meta(), keys.turns(), keys.handoff())
                        .toLong()
                > 0;
    }

    private Session read(String tenant, String sessionId, boolean refresh) {
        SessionKeys keys = SessionKeys.of(tenant, sessionId);
        Response reply = redis.eval(SessionScripts.READ, keys.all(), List.of(ttlMillis, refresh ? "1" : "0"));
        return reply.size() == 0 ? Session.absent(tenant, sessionId) : parse(tenant, sessionId, reply, 0);
    }

    /** Reads the {@code {meta, turns, pttl, handoffs}} snapshot that starts at {@code at} in a script's reply. */
    private static Session parse(String tenant, String sessionId, Response reply, int at) {
        Response meta = reply.get(at);
        String summary = "";
        int summaryTokens = 0;
        long foldedTurns = 0, version = 0, createdAt = 0, updatedAt = 0;
        for (int i = 0; i + 1 < meta.size(); i += 2) {
            String value = meta.get(i + 1).toString();
            switch (meta.get(i).toString()) {
                case "summary" -> summary = value;
                case "summaryTokens" -> summaryTokens = Integer.parseInt(value);
                case "foldedTurns" -> foldedTurns = Long.parseLong(value);
                case "version" -> version = Long.parseLong(value);
                case "createdAt" -> createdAt = Long.parseLong(value);
                case "updatedAt" -> updatedAt = Long.parseLong(value);
                default -> {} // a field from a later version: not ours to interpret
            }
        }
        if (version == 0) {
            return Session.absent(tenant, sessionId);
        }
        long pttl = reply.get(at + 2).toLong();
        long ttlSeconds = pttl <= 0 ? 0 : (pttl + 999) / 1000;
        return new Session(
                tenant,
                sessionId,
                turns(reply.get(at + 1)),
                summary,
                summaryTokens,
                foldedTurns,
                version,
                createdAt,
                updatedAt,
                ttlSeconds,
                reply.get(at + 3).toInteger());
    }

    private static List<Turn> turns(Response list) {
        List<Turn> turns = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            turns.add(read(list.get(i).toString()));
        }
        return turns;
    }

    private static String write(Turn turn) {
        try {
            return JSON.writeValueAsString(turn);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A turn could not be written as JSON", e);
        }
    }

    private static Turn read(String json) {
        try {
            return JSON.readValue(json, Turn.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored turn is not valid JSON: " + json, e);
        }
    }
}
