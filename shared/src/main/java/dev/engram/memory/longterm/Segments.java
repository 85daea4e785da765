package dev.engram.memory.longterm;

import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The scan's packed layout (see {@link LtmKeys}): a tenant's memories are slots, slot s is row
 * {@code s % ROWS} of segment {@code s / ROWS}; a segment is one STRING of fixed-size int8 rows plus a
 * HASH row → {@code row|}{@link Row} line for its live rows. 1024 rows of 388 bytes make a ~390 kB segment: few
 * keys to read cold (10 at 10k memories), small enough that a single change re-reads little.
 */
final class Segments {
    static final int ROWS = 1024;

    private Segments() {}

    /** The filter fields of one live row, as {@code meta:<seg>} keeps them: {@code id|createdAt|userId|sessionId|tag,tag}. */
    record Row(String id, long createdAt, String userId, String sessionId, List<String> tags) {
        String line() {
            return id + "|" + createdAt + "|" + (userId == null ? "" : userId) + "|"
                    + (sessionId == null ? "" : sessionId) + "|" + String.join(",", tags);
        }

        /** Ids, user ids and tags never contain '|' or ',' ({@link MemoryInput}), so the separators are safe. */
        static Row parse(String line) {
            int a = line.indexOf('|');
            int b = line.indexOf('|', a + 1);
            int c = line.indexOf('|', b + 1);
            int d = line.indexOf('|', c + 1);
            if (a < 0 || b < 0 || c < 0 || d < 0) {
                throw new IllegalStateException("A long-term memory meta entry is malformed: '" + line + "'");
            }
            String tags = line.substring(d + 1);
            return new Row(
                    line.substring(0, a),
                    Long.parseLong(line, a + 1, b, 10),
                    emptyToNull(line.substring(b + 1, c)),
                    emptyToNull(line.substring(c + 1, d)),
                    tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")));
        }

        private static String emptyToNull(String s) {
            return s.isEmpty() ? null : s;
        }
    }

    /**
     * One segment as of its version: {@code rows} is the raw STRING (it may be shorter than ROWS rows:
     * SETRANGE grows it as slots are used), {@code live[r]} the row's filter fields or null when free.
     */
    record Segment(long version, byte[] rows, Row[] live) {
        static final Segment EMPTY = new Segment(0, new byte[0], new Row[0]);

        /**
         * From the replies to {@code GET vec:<seg>} and {@code HVALS meta:<seg>}: each value carries its
         * row number in front ({@code row|line}), so a flat array is enough — no RESP3 map of 1024
         * entries to build per segment, which made up much of a cold load.
         */
        static Segment of(long version, Response vectors, Response meta) {
            byte[] rows = vectors == null ? new byte[0] : vectors.toBytes();
            Row[] live = new Row[ROWS];
            if (meta != null) {
                for (Response value : meta) {
                    String entry = value.toString();
                    int bar = entry.indexOf('|');
                    live[Integer.parseInt(entry, 0, bar, 10)] = Row.parse(entry.substring(bar + 1));
                }
            }
            return new Segment(version, rows, live);
        }
    }

    /** A HASH reply as field, value pairs: a map under RESP3, a flat array under RESP2. */
    static void forEachPair(Response hash, java.util.function.BiConsumer<String, String> each) {
        if (hash == null) {
            return;
        }
        Set<String> keys = keysIfMap(hash);
        if (keys != null) {
            for (String key : keys) {
                each.accept(key, hash.get(key).toString());
            }
            return;
        }
        for (int i = 0; i + 1 < hash.size(); i += 2) {
            each.accept(hash.get(i).toString(), hash.get(i + 1).toString());
        }
    }

    private static Set<String> keysIfMap(Response r) {
        try {
            return r.getKeys();
        } catch (RuntimeException arrayNotMap) {
            return null;
        }
    }

    /** Segment numbers 0..count-1 whose version differs from the cached one (all when nothing is cached). */
    static List<Integer> stale(Segment[] cached, long[] versions) {
        List<Integer> out = new ArrayList<>();
        for (int seg = 0; seg < versions.length; seg++) {
            if (cached == null || seg >= cached.length || cached[seg].version() != versions[seg]) {
                out.add(seg);
            }
        }
        return out;
    }
}
