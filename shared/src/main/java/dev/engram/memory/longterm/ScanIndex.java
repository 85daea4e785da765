package dev.engram.memory.longterm;

import dev.engram.memory.longterm.Segments.Row;
import dev.engram.memory.longterm.Segments.Segment;
import dev.engram.redis.RedisGateway;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The index for plain Redis (no query engine): an exact scan in the function over the tenant's packed
 * int8 segments ({@link Segments}). A warm instance keeps the segments per tenant; every recall costs
 * one {@code HMGET version epoch n}, sent before the query is embedded so the two overlap. Only when that moved (any instance wrote or forgot since) does it
 * read the version hash whole and re-read just the segments whose own version {@code s:<seg>}
 * changed — plain GET and HVALS, pipelined ({@link RedisGateway#sendAll}), then the versions of the
 * re-read segments once more to be sure nothing changed in between. A cold instance reads every
 * segment that way. Redis never runs a script longer than one memory's write; scoring is the Vector
 * API's int8 dot product (the vectors are unit length, so dot = cosine): ~0.6 ms for 10k memories.
 */
public class ScanIndex implements VectorIndex {
    private static final Logger LOG = Logger.getLogger(ScanIndex.class);
    /** Segments per pipelined batch: a few batches in parallel use the pool's connections. */
    private static final int SEGMENTS_PER_BATCH = 8;
    /** Re-reads of a segment that keeps changing while it is read; after that it is used and marked stale. */
    private static final int MAX_REREADS = 3;

    private final RedisGateway redis;
    private final int dims;
    private final int rowBytes;
    private final Map<String, Snapshot> cache = new ConcurrentHashMap<>();

    public ScanIndex(RedisGateway redis, int dims) {
        this.redis = redis;
        this.dims = dims;
        this.rowBytes = Vectors.int8RowBytes(dims);
    }

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public void evict(String tenant) {
        cache.remove(tenant);
    }

    @Override
    public List<Scored> search(
            LtmKeys keys, Supplier<float[]> queryVector, RecallFilter filter, int k, float minScore) {
        // the version check is in flight while the supplier embeds the query: a round trip less on the critical path
        Supplier<Response> version = redis.sendLater(Command.HMGET, List.of(keys.version(), "epoch", "n"));
        float[] query = queryVector.get();
        Snapshot snapshot = current(keys, version.get());
        PriorityQueue<Scored> best = new PriorityQueue<>(Comparator.comparingDouble(Scored::score));
        boolean all = filter.userId() == null
                && filter.sessionId() == null
                && filter.tags() == null
                && filter.from() == null
                && filter.to() == null;
        for (Segment segment : snapshot.segments) {
            Row[] live = segment.live();
            byte[] rows = segment.rows();
            int count = Math.min(live.length, rows.length / rowBytes);
            for (int r = 0; r < count; r++) {
                // unfiltered, a row's scale says whether it is live (forget zeroes it in the same script that
                // drops its meta entry), so the scan touches the packed bytes only, not 100k Row objects
                if (all ? Vectors.int8Scale(rows, r * rowBytes) == 0 : !passes(live[r], filter)) {
                    continue;
                }
                float score = Vectors.dotInt8(query, rows, r * rowBytes, dims);
                if (score < minScore || best.size() == k && score <= best.peek().score() || live[r] == null) {
                    continue;
                }
                if (best.size() == k) {
                    best.poll();
                }
                best.add(new Scored(live[r].id(), score));
            }
        }
        List<Scored> out = new ArrayList<>(best);
        out.sort(Comparator.comparingDouble(Scored::score).reversed());
        return out;
    }

    private static boolean passes(Row row, RecallFilter filter) {
        return row != null && filter.matches(row.userId(), row.sessionId(), row.tags(), row.createdAt());
    }

    /** The cached snapshot if the tenant's version is still Redis's, else one refreshed segment by segment. */
    private Snapshot current(LtmKeys keys, Response now) {
        String epoch = str(now.get(0));
        long n = num(now.get(1));
        Snapshot cached = cache.get(keys.tenant());
        if (cached != null && cached.epoch.equals(epoch) && cached.n == n) {
            return cached;
        }
        Snapshot fresh = refresh(keys, cached);
        cache.put(keys.tenant(), fresh);
        return fresh;
    }

    private Snapshot refresh(LtmKeys keys, Snapshot cached) {
        Map<String, String> version = new HashMap<>();
        Segments.forEachPair(redis.execute(Command.HGETALL, keys.version()), version::put);
        String epoch = version.getOrDefault("epoch", "");
        long rows = Long.parseLong(version.getOrDefault("rows", "0"));
        long[] versions = new long[(int) ((rows + Segments.ROWS - 1) / Segments.ROWS)];
        for (int seg = 0; seg < versions.length; seg++) {
            versions[seg] = Long.parseLong(version.getOrDefault("s:" + seg, "0"));
        }
        // a different epoch is a different Redis state altogether: nothing cached can be trusted
        Segment[] old = cached != null && cached.epoch.equals(epoch) ? cached.segments : null;
        Segment[] segments = new Segment[versions.length];
        for (int seg = 0; seg < versions.length; seg++) {
            segments[seg] = old != null && seg < old.length ? old[seg] : Segment.EMPTY;
        }
        List<Integer> stale = Segments.stale(old, versions);
        long start = System.nanoTime();
        int reads = 0;
        for (int attempt = 0; !stale.isEmpty(); attempt++) {
            reads += stale.size();
            read(keys, stale, versions, segments);
            stale = changedSince(keys, stale, versions);
            if (attempt + 1 >= MAX_REREADS) {
                stale.forEach(seg -> segments[seg] = new Segment(-1, segments[seg].rows(), segments[seg].live()));
                break;
            }
        }
        LOG.debugf(
                "Tenant %s: read %d of %d segments in %.1f ms",
                keys.tenant(), reads, segments.length, (System.nanoTime() - start) / 1e6);
        return new Snapshot(epoch, Long.parseLong(version.getOrDefault("n", "0")), segments);
    }

    /** GET and HVALS of each named segment, pipelined. */
    private void read(LtmKeys keys, List<Integer> which, long[] versions, Segment[] into) {
        List<Command> commands = new ArrayList<>(2 * which.size());
        List<List<?>> args = new ArrayList<>(2 * which.size());
        for (int seg : which) {
            commands.add(Command.GET);
            args.add(List.of(keys.segment(seg)));
            commands.add(Command.HVALS);
            args.add(List.of(keys.segmentMeta(seg)));
        }
        long start = System.nanoTime();
        List<Response> replies = redis.sendAll(commands, args, 2 * SEGMENTS_PER_BATCH);
        long received = System.nanoTime();
        for (int i = 0; i < which.size(); i++) {
            int seg = which.get(i);
            into[seg] = Segment.of(versions[seg], replies.get(2 * i), replies.get(2 * i + 1));
        }
        LOG.debugf(
                "%s segments: %.1f ms to receive, %.1f ms to decode",
                (Object) which.size(), (received - start) / 1e6, (System.nanoTime() - received) / 1e6);
    }

    /** The segments among {@code which} whose version moved while they were read (their new version is noted). */
    private List<Integer> changedSince(LtmKeys keys, List<Integer> which, long[] versions) {
        String[] fields = new String[which.size() + 1];
        fields[0] = keys.version();
        for (int i = 0; i < which.size(); i++) {
            fields[i + 1] = "s:" + which.get(i);
        }
        Response now = redis.execute(Command.HMGET, fields);
        List<Integer> changed = new ArrayList<>();
        for (int i = 0; i < which.size(); i++) {
            long v = num(now.get(i));
            if (v != versions[which.get(i)]) {
                versions[which.get(i)] = v;
                changed.add(which.get(i));
            }
        }
        return changed;
    }

    private static String str(Response r) {
        return r == null ? "" : r.toString();
    }

    private static long num(Response r) {
        return r == null ? 0 : Long.parseLong(r.toString());
    }

    /** One tenant as of version {@code epoch/n}: its segments, each as of its own version. */
    record Snapshot(String epoch, long n, Segment[] segments) {}
}
