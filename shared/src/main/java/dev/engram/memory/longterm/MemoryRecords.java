package dev.engram.memory.longterm;

import dev.engram.memory.embedding.Embedder;
import dev.engram.redis.RedisGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ResponseType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Long-term memories as Redis stores them ({@link LtmKeys}), the same whichever {@link VectorIndex}
 * searches them: a memory's hash (what the query engine indexes and what recall reads back), its slot's
 * int8 row and filter fields (what the scan reads), its scope sets and the versions, each change one
 * atomic script ({@link LtmScripts}). What to store, and whether, is {@link LongTermMemory}'s policy.
 */
final class MemoryRecords {
    private static final int FORGET_BATCH = 256;
    /** The most older texts a memory keeps as its history when updates replace its text. */
    static final int HISTORY = 8;

    private final RedisGateway redis;
    private final Embedder embedder;

    MemoryRecords(RedisGateway redis, Embedder embedder) {
        this.redis = redis;
        this.embedder = embedder;
    }

    /**
     * One atomic step: the memory's hash, its slot's int8 row and filter fields, its scope sets, the
     * versions, the tenant's model. Refused (409) when the tenant holds memories of another model.
     * {@code mode} {@code update} answers -1 when the memory is gone meanwhile (nothing written).
     */
    long write(LtmKeys keys, MemoryRecord r, String mode) {
        Response reply = redis.write(
                LtmScripts.WRITE,
                List.of(
                        keys.memory(r.id()),
                        keys.slots(),
                        keys.version(),
                        keys.user(r.userId()),
                        keys.session(r.sessionId()),
                        keys.freeSlots()),
                storeArgs(keys, r, mode));
        if (reply.type() == ResponseType.BULK) {
            throw TenantModel.mismatch(
                    keys.tenant(), reply.toString(), embedder.model().id());
        }
        return reply.toLong();
    }

    /**
     * Writes a queue entry's memories (each {@code new} or an {@code update} of its id) and records the
     * entry done, in one atomic step ({@link LtmScripts#PROMOTE}). Answers how many were written, or -1
     * when the entry was already done (nothing written again).
     */
    long promote(LtmKeys keys, List<Write> writes, EntryCommit entry) {
        List<Object> args = new ArrayList<>(List.of(
                entry.group(),
                entry.entryId(),
                Long.toString(System.currentTimeMillis()),
                Long.toString(entry.keepDone().toMillis()),
                entry.countsField() == null ? "" : entry.countsField()));
        for (Write w : writes) {
            args.addAll(storeArgs(keys, w.record(), w.mode()));
            args.add(newId());
        }
        Response reply = redis.write(
                LtmScripts.PROMOTE,
                List.of(
                        keys.version(),
                        keys.slots(),
                        keys.freeSlots(),
                        entry.stream(),
                        entry.done(),
                        entry.counts(),
                        entry.attempts()),
                args);
        return switch (reply.get(0).toString()) {
            case "done" -> reply.get(1).toLong();
            case "again" -> -1;
            default ->
                throw TenantModel.mismatch(
                        keys.tenant(), reply.get(1).toString(), embedder.model().id());
        };
    }

    /** One memory of {@link #promote}: a new record, or an update of the record with the same id. */
    record Write(MemoryRecord record, String mode) {}

    /** {@link LtmScripts#STORE_ARGS} arguments of the Lua {@code store} for one record. */
    private List<Object> storeArgs(LtmKeys keys, MemoryRecord r, String mode) {
        return List.of(
                r.id(),
                r.text(),
                String.join(",", r.tags()),
                nz(r.userId()),
                nz(r.sessionId()),
                Long.toString(r.createdAt()),
                r.source().name(),
                Vectors.toBytes(r.embedding()),
                new Segments.Row(r.id(), r.createdAt(), r.userId(), r.sessionId(), r.tags()).line(),
                mode,
                newId(),
                Vectors.toInt8Row(r.embedding()),
                keys.prefix(),
                Integer.toString(Segments.ROWS),
                embedder.model().id(),
                TenantModel.LEGACY,
                Integer.toString(HISTORY));
    }

    /** Removes the memories (hash, scope-set entries), tombstones their slots and bumps the versions; answers how many were there. */
    long forget(LtmKeys keys, List<String> ids) {
        long removed = 0;
        byte[] zeroRow = new byte[Vectors.int8RowBytes(embedder.dimensions())];
        for (int from = 0; from < ids.size() || from == 0; from += FORGET_BATCH) {
            List<Object> args = new ArrayList<>();
            args.add(keys.prefix());
            args.add(newId());
            args.add(Integer.toString(Segments.ROWS));
            args.add(zeroRow);
            args.addAll(ids.subList(from, Math.min(ids.size(), from + FORGET_BATCH)));
            removed += redis.write(LtmScripts.FORGET, List.of(keys.slots(), keys.version(), keys.freeSlots()), args)
                    .toLong();
        }
        return removed;
    }

    /** The ids of all the tenant's memories. */
    List<String> ids(LtmKeys keys) {
        return members(Command.HKEYS, keys.slots());
    }

    /** The ids of the memories of one user. */
    List<String> idsOfUser(LtmKeys keys, String userId) {
        return members(Command.SMEMBERS, keys.user(userId));
    }

    /** The ids of the memories of one session. */
    List<String> idsOfSession(LtmKeys keys, String sessionId) {
        return members(Command.SMEMBERS, keys.session(sessionId));
    }

    /** The stored fields of the scored ids, in order; ids forgotten since the search are dropped. */
    List<RecallHit> fetch(LtmKeys keys, List<VectorIndex.Scored> scored) {
        if (scored.isEmpty()) {
            return List.of();
        }
        Response rows = rows(keys, scored.stream().map(VectorIndex.Scored::id).toList());
        List<RecallHit> hits = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            Response row = rows.get(i);
            if (row == null || row.get(0) == null) {
                continue;
            }
            String tags = str(row.get(1));
            hits.add(new RecallHit(
                    scored.get(i).id(),
                    row.get(0).toString(),
                    scored.get(i).score(),
                    tags == null || tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")),
                    str(row.get(2)),
                    str(row.get(3)),
                    Long.parseLong(row.get(4).toString()),
                    MemorySource.valueOf(row.get(5).toString()),
                    history(row.get(6))));
        }
        return hits;
    }

    /** The texts of the ids, in order; null for an id forgotten meanwhile. */
    List<String> texts(LtmKeys keys, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Response rows = rows(keys, ids);
        List<String> texts = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Response row = rows.get(i);
            texts.add(row == null || row.get(0) == null ? null : row.get(0).toString());
        }
        return texts;
    }

    /** 64 random bits in hex: unique enough per tenant, and safe in keys and index queries. */
    static String newId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private Response rows(LtmKeys keys, List<String> ids) {
        List<String> args = new ArrayList<>(ids.size() + 1);
        args.add(keys.prefix());
        args.addAll(ids);
        return redis.eval(LtmScripts.FETCH, List.of(keys.version()), args);
    }

    private List<String> members(Command command, String key) {
        Response r = redis.execute(command, key);
        List<String> out = new ArrayList<>();
        if (r != null) {
            r.forEach(member -> out.add(member.toString()));
        }
        return out;
    }

    private static List<String> history(Response json) {
        if (json == null) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        new JsonArray(json.toString()).forEach(text -> texts.add(String.valueOf(text)));
        return texts;
    }

    private static String str(Response r) {
        return r == null ? null : r.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
