package dev.engram.bench;

import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.LtmKeys;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.RecallFilter;
import dev.engram.memory.longterm.RecallQuery;
import dev.engram.memory.longterm.ScanIndex;
import dev.engram.redis.RedisGateway;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Row 6, memory: what a session costs a request (time and Redis commands), recall latency at 10k and
 * 100k memories from a warm and a cold instance, and embedding throughput.
 */
final class MemoryBench {
    private final BenchOptions options;
    private final List<Row> rows;
    private final RedisGateway redis;

    MemoryBench(BenchOptions options, List<Row> rows, RedisGateway redis) {
        this.options = options;
        this.rows = rows;
        this.redis = redis;
    }

    /**
     * The same short greedy request with and without a {@code sessionId}, interleaved so drift hits
     * both alike. Each session request opens a fresh session, so its prompt is the same as the plain
     * one and the difference is the memory machinery alone (a longer history costs prefill, not
     * memory; folding is a model call). Measured with Redis fsyncing every write (what
     * infra/redis/redis.conf asks for) and once a second.
     */
    void sessionOverhead(FunctionClient client, String model) throws Exception {
        warmUp(client, options.quick());
        for (String fsync : List.of("always", "everysec")) {
            redis.execute(Command.CONFIG, "SET", "appendfsync", fsync);
            Pairs pairs = pairs(client, fsync, options.quick() ? 50 : 300, this::scriptCalls);
            String redisNote = "Redis appendfsync " + fsync;
            rows.add(Row.of(
                    "memory",
                    "generate without session (" + fsync + ")",
                    "ms",
                    pairs.without(),
                    model + ", 4 greedy tokens, loopback"));
            rows.add(Row.of("memory", "generate with session (" + fsync + ")", "ms", pairs.with(), redisNote)
                    .compared(pairs.with().median() / pairs.without().median(), "with / without"));
            rows.add(Row.of(
                    "memory",
                    "session overhead at p50 (" + fsync + ")",
                    "ms",
                    Stats.of(pairs.overhead()),
                    redisNote + "; goal <= 1 ms"));
            if (fsync.equals("always")) {
                rows.add(Row.of(
                        "memory",
                        "Redis round trips per session request",
                        "count",
                        Stats.of((double) pairs.scripts() / pairs.n()),
                        "EVALSHA/EVAL calls (every session operation is one script); goal <= 2"));
            }
        }
        redis.execute(Command.CONFIG, "SET", "appendfsync", "always");
    }

    /** The short greedy request both paths send. */
    static final Map<String, Object> PLAIN = Map.of("prompt", "Once upon a time", "maxTokens", 4, "temperature", 0);

    /**
     * Warm-up of both paths, long enough for the JIT to compile the session path as it is in an
     * instance that has served a while: after 20 pairs the overhead still measured ~2x its warm value.
     */
    static void warmUp(FunctionClient client, boolean quick) throws Exception {
        for (int i = 0; i < (quick ? 100 : 300); i++) {
            client.call("generate", PLAIN);
            client.call("generate", withSession(PLAIN, "warm-" + i / 2));
        }
    }

    /** n plain requests and n with a fresh session each, interleaved so drift hits both alike; what the session ones cost. */
    record Pairs(int n, Stats without, Stats with, long scripts) {
        double overhead() {
            return with.median() - without.median();
        }
    }

    /** {@link Pairs} of {@code n}; {@code scriptCalls} counts the Redis scripts run so far (or answers 0). */
    static Pairs pairs(FunctionClient client, String sessionPrefix, int n, LongSupplier scriptCalls) throws Exception {
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        long scripts = 0;
        for (int i = 0; i < n; i++) {
            without.add(client.post("generate", PLAIN).nanos() / 1e6);
            long before = scriptCalls.getAsLong();
            FunctionClient.Answer a = client.post("generate", withSession(PLAIN, sessionPrefix + "-" + i));
            scripts += scriptCalls.getAsLong() - before;
            if (!a.ok()) {
                throw new IllegalStateException(
                        "POST /generate with a session answered " + a.status() + ": " + a.body());
            }
            with.add(a.nanos() / 1e6);
        }
        return new Pairs(n, Stats.of(without), Stats.of(with), scripts);
    }

    /** Recall over {@code count} memories with synthetic unit vectors (importing real texts' embeddings would take minutes). */
    void recall(LongTermMemory memory, Embedder embedder, int count) {
        String tenant = "bench-" + count;
        SplittableRandom random = new SplittableRandom(count);
        int batch = 1000;
        for (int from = 0; from < count; from += batch) {
            List<NewMemory> texts = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + batch); i++) {
                texts.add(new NewMemory("memory number " + i, List.of("t" + i % 10), null, null, null));
                vectors.add(unit(random, embedder.dimensions()));
            }
            memory.importAll(tenant, texts, vectors);
        }
        int samples = options.quick() ? 20 : 50;
        // a warm instance: the vectors cached and the scan and embedding paths compiled by the JIT
        for (int i = 0; i < 30; i++) {
            memory.recall(tenant, new RecallQuery("warm the cache " + i, 5, null, -1f));
        }
        List<Double> warm = new ArrayList<>();
        List<Double> embedOnly = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            String query = "what happened at the harbour on day " + i;
            long start = System.nanoTime();
            memory.recall(tenant, new RecallQuery(query, 5, null, -1f));
            warm.add((System.nanoTime() - start) / 1e6);
            start = System.nanoTime();
            embedder.embed(query + " again");
            embedOnly.add((System.nanoTime() - start) / 1e6);
        }
        Stats warmStats = Stats.of(warm);
        rows.add(Row.of(
                "memory",
                "recall at " + count + ", warm instance",
                "ms",
                warmStats,
                "k=5, scan index, query embedding included; goal p50 <= " + (count <= 10_000 ? 5 : 30) + " ms"));
        rows.add(Row.of(
                "memory",
                "  of which query embedding",
                "ms",
                Stats.of(embedOnly),
                embedder.model().id() + ", one text, every query distinct (no cache)"));
        float[] query = unit(random, embedder.dimensions());
        ScanIndex warmIndex = new ScanIndex(redis, embedder.dimensions());
        warmIndex.search(LtmKeys.of(tenant), query, RecallFilter.NONE, 5, -1f);
        List<Double> searchOnly = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            warmIndex.search(LtmKeys.of(tenant), unit(random, embedder.dimensions()), RecallFilter.NONE, 5, -1f);
            searchOnly.add((System.nanoTime() - start) / 1e6);
        }
        rows.add(Row.of(
                "memory",
                "  index search alone at " + count + ", warm",
                "ms",
                Stats.of(searchOnly),
                "version check + int8 Vector API scan; no embedding, no fetch"));
        List<Double> afterWrite = new ArrayList<>();
        for (int i = 0; i < Math.max(5, options.repeats()); i++) {
            memory.importAll(
                    tenant,
                    List.of(new NewMemory("written elsewhere " + i, null, null, null, null)),
                    List.of(unit(random, embedder.dimensions()))); // any instance's write: one segment's version moves
            long start = System.nanoTime();
            warmIndex.search(LtmKeys.of(tenant), unit(random, embedder.dimensions()), RecallFilter.NONE, 5, -1f);
            afterWrite.add((System.nanoTime() - start) / 1e6);
        }
        rows.add(Row.of(
                "memory",
                "  index search at " + count + ", warm, after one write",
                "ms",
                Stats.of(afterWrite),
                "re-reads the one segment whose version moved (1024 rows)"));
        List<Double> cold = new ArrayList<>();
        for (int i = 0; i < Math.max(3, options.repeats()); i++) {
            ScanIndex fresh = new ScanIndex(redis, embedder.dimensions()); // an instance that has cached nothing
            long start = System.nanoTime();
            fresh.search(LtmKeys.of(tenant), query, RecallFilter.NONE, 5, -1f);
            cold.add((System.nanoTime() - start) / 1e6);
        }
        rows.add(Row.of(
                "memory",
                "recall at " + count + ", cold instance (first search)",
                "ms",
                Stats.of(cold),
                "loads the packed vectors from Redis; embedding excluded"
                        + (count == 10_000 ? "; goal <= 100 ms" : "")));
        memory.forgetAll(tenant);
    }

    /** Texts per second embedding 64 at once, against the same 64 one by one. */
    void embeddings(Embedder embedder) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            texts.add(
                    "Note " + i + ": the delivery to the north warehouse was moved to Thursday because of the storm.");
        }
        embedder.embedAll(texts);
        List<Double> batched = new ArrayList<>();
        List<Double> single = new ArrayList<>();
        for (int r = 0; r < options.repeats(); r++) {
            long start = System.nanoTime();
            embedder.embedAll(texts);
            batched.add(64 * 1e9 / (System.nanoTime() - start));
            start = System.nanoTime();
            texts.forEach(embedder::embed);
            single.add(64 * 1e9 / (System.nanoTime() - start));
        }
        Stats one = Stats.of(single);
        rows.add(Row.of(
                "memory",
                "embeddings, one at a time (baseline)",
                "texts/s",
                one,
                embedder.model().id() + " in-process, ~20-token texts"));
        Stats batch = Stats.of(batched);
        rows.add(Row.of("memory", "embeddings, batch of 64", "texts/s", batch, "")
                .compared(batch.median() / one.median(), "batch / single"));
    }

    /** Scripts run so far: each session operation is one EVALSHA (EVAL after a script-cache miss). */
    private long scriptCalls() {
        long calls = 0;
        for (String line :
                redis.execute(Command.INFO, "commandstats").toString().split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                String field = line.substring(line.indexOf("calls=") + 6);
                calls += Long.parseLong(field.substring(0, field.indexOf(',')));
            }
        }
        return calls;
    }

    private static Map<String, Object> withSession(Map<String, Object> body, String session) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put("sessionId", session);
        return copy;
    }

    private static float[] unit(SplittableRandom random, int dims) {
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) random.nextDouble(-1, 1);
            norm += v[i] * v[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dims; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
