package dev.engram.memory.longterm;

import java.util.List;
import java.util.function.Supplier;

/**
 * How the memories nearest a query are found. The records themselves are always written the same way
 * ({@link MemoryRecords}); an index only searches them. Two real implementations, chosen at the
 * first use by {@link VectorIndexes}: {@link QueryEngineIndex} (Redis 8 / Redis Stack: HNSW,
 * {@code FT.SEARCH ... KNN}) and {@link ScanIndex} (plain Redis: an exact scan in the function).
 */
public interface VectorIndex {

    /**
     * The best {@code k} memory ids by cosine similarity passing {@code filter}, with score ≥ minScore,
     * best first. {@code query} supplies the query vector: an index may start its own Redis round trip
     * before asking for it, so that an embedding computed by the supplier overlaps the wait.
     */
    List<Scored> search(LtmKeys keys, Supplier<float[]> query, RecallFilter filter, int k, float minScore);

    /** {@link #search(LtmKeys, Supplier, RecallFilter, int, float)} with a vector already at hand. */
    default List<Scored> search(LtmKeys keys, float[] query, RecallFilter filter, int k, float minScore) {
        return search(keys, () -> query, filter, k, minScore);
    }

    /** Drops whatever this instance caches of the tenant (after a tenant erase). */
    default void evict(String tenant) {}

    /** For logs and the tests: {@code scan} or {@code query-engine}. */
    String name();

    record Scored(String id, float score) {}
}
