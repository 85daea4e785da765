package dev.engram.memory.longterm;

import dev.engram.redis.RedisGateway;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The index for Redis servers with the query engine (Redis 8, Redis Stack): one HNSW index per tenant
 * over the tenant's memory hashes ({@code FT.CREATE ... ON HASH PREFIX 1 engram:<t>:ltm:{<t>}:m:}), created
 * on first use, kept up to date by Redis itself as hashes are written and deleted, searched with
 * {@code FT.SEARCH idx "(filters)=>[KNN k @vec $v AS dist]"}; filters are TAG fields (userId,
 * sessionId, tags) and a NUMERIC one (createdAt). Redis returns the cosine distance; score = 1 − dist.
 *
 * <p>The Redis 7 server these machines have lacks {@code FT.*}, so this class is exercised only by
 * running the long-term-memory tests against a Redis 8 server (see functions/memory's
 * {@code LongTermMemoryTest}); it is kept small on purpose.
 */
public class QueryEngineIndex implements VectorIndex {
    private final RedisGateway redis;
    private final int dims;
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    public QueryEngineIndex(RedisGateway redis, int dims) {
        this.redis = redis;
        this.dims = dims;
    }

    @Override
    public String name() {
        return "query-engine";
    }

    @Override
    public List<Scored> search(
            LtmKeys keys, Supplier<float[]> queryVector, RecallFilter filter, int k, float minScore) {
        float[] query = queryVector.get(); // FT.SEARCH needs it in the one command
        ensureIndex(keys);
        String knn = "(" + clauses(filter) + ")=>[KNN " + k + " @vec $v AS dist]";
        Response r = redis.send(
                Command.FT_SEARCH,
                List.of(
                        keys.index(),
                        knn,
                        "PARAMS",
                        "2",
                        "v",
                        Vectors.toBytes(query),
                        "SORTBY",
                        "dist",
                        "ASC",
                        "LIMIT",
                        "0",
                        Integer.toString(k),
                        "RETURN",
                        "1",
                        "dist",
                        "DIALECT",
                        "2"));
        List<Scored> out = new ArrayList<>();
        for (Hit hit : hits(r)) {
            float score = 1 - Float.parseFloat(hit.dist);
            if (score >= minScore) {
                out.add(new Scored(hit.key.substring(keys.memoryPrefix().length()), score));
            }
        }
        return out;
    }

    private void ensureIndex(LtmKeys keys) {
        if (created.contains(keys.tenant())) {
            return;
        }
        try {
            redis.send(
                    Command.FT_CREATE,
                    List.of(
                            keys.index(),
                            "ON",
                            "HASH",
                            "PREFIX",
                            "1",
                            keys.memoryPrefix(),
                            "SCHEMA",
                            "vec",
                            "VECTOR",
                            "HNSW",
                            "6",
                            "TYPE",
                            "FLOAT32",
                            "DIM",
                            Integer.toString(dims),
                            "DISTANCE_METRIC",
                            "COSINE",
                            "userId",
                            "TAG",
                            "sessionId",
                            "TAG",
                            "tags",
                            "TAG",
                            "SEPARATOR",
                            ",",
                            "createdAt",
                            "NUMERIC"));
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).contains("already exists")) {
                throw e;
            }
        }
        created.add(keys.tenant());
    }

    static String clauses(RecallFilter f) {
        List<String> parts = new ArrayList<>();
        if (f.userId() != null) {
            parts.add("@userId:{" + escape(f.userId()) + "}");
        }
        if (f.sessionId() != null) {
            parts.add("@sessionId:{" + escape(f.sessionId()) + "}");
        }
        for (String tag : f.tagsOrEmpty()) {
            parts.add("@tags:{" + escape(tag) + "}");
        }
        if (f.from() != null || f.to() != null) {
            parts.add("@createdAt:[" + (f.from() == null ? "-inf" : f.from()) + " " + (f.to() == null ? "+inf" : f.to())
                    + "]");
        }
        return parts.isEmpty() ? "*" : String.join(" ", parts);
    }

    /** TAG values: every punctuation character (ids allow . _ : -) must be backslash-escaped. */
    static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean isMap(Response r) {
        try {
            return r.containsKey("results");
        } catch (RuntimeException arrayNotMap) {
            return false;
        }
    }

    private record Hit(String key, String dist) {}

    /** RESP2: [total, key, [dist, value], ...]; RESP3: {results: [{id, extra_attributes: {dist}}]}. */
    private static List<Hit> hits(Response r) {
        List<Hit> out = new ArrayList<>();
        if (isMap(r) && r.containsKey("results")) {
            for (Response result : r.get("results")) {
                out.add(new Hit(
                        result.get("id").toString(),
                        result.get("extra_attributes").get("dist").toString()));
            }
            return out;
        }
        for (int i = 1; i + 1 < r.size(); i += 2) {
            Response fields = r.get(i + 1);
            String dist = null;
            for (int j = 0; j + 1 < fields.size(); j += 2) {
                if ("dist".equals(fields.get(j).toString())) {
                    dist = fields.get(j + 1).toString();
                }
            }
            out.add(new Hit(r.get(i).toString(), dist == null ? "1" : dist));
        }
        return out;
    }
}
