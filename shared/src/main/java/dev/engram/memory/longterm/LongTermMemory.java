package dev.engram.memory.longterm;

import dev.engram.errors.InvalidRequestException;
import dev.engram.memory.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.tenant.TenantData;
import io.micrometer.core.annotation.Timed;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Long-term memory: texts with their embeddings in Redis, under the tenant's namespace
 * ({@link LtmKeys}), recalled by meaning through the {@link VectorIndex} the server allows. This class
 * holds the policy (validation, recall budgets, dedup, the tenant's model); {@link MemoryRecords} holds
 * how the records are stored.
 *
 * <p><b>Dedup.</b> A new memory within {@link #dedupDistance()} (cosine distance) of an
 * existing one in the same scope — same tenant, same userId, same sessionId (absent = absent) —
 * updates that memory (new text and vector, tags merged, id and createdAt kept) instead of adding a
 * near-copy; the text it replaces is kept on the record as its {@code history}. An exact repeat (same
 * text, no new tag) writes nothing. Two instances remembering the same text at the same instant can
 * still both add it: the check and the write are two steps.
 *
 * <p><b>Model.</b> A tenant's memories are all embedded by one model, recorded with them
 * ({@link TenantModel}): an instance configured for another model is refused (409) until they are
 * re-embedded ({@link Reembedder}).
 *
 * <p><b>Forget</b> by id, sessionId, userId or the whole tenant removes the hash and the scope-set
 * entries, tombstones the memory's slot (row zeroed, meta entry gone, slot on the free list for the
 * next new memory) and bumps the versions so warm caches drop it too. Segments are not compacted: a
 * tenant's segment count is its high-water mark of live memories until it is emptied entirely. The
 * scope forms read the ids first and then delete them in batches: a memory added in between survives.
 */
@ApplicationScoped
public class LongTermMemory implements TenantData {
    private static final int DEDUP_CANDIDATES = 5;

    private final RedisGateway redis;
    private final Embedder embedder;
    private final VectorIndexes indexes;
    private final MemoryConfig config;
    private final MemoryRecords records;

    public LongTermMemory(RedisGateway redis, Embedder embedder, VectorIndexes indexes, MemoryConfig config) {
        this.redis = redis;
        this.embedder = embedder;
        this.indexes = indexes;
        this.config = config;
        this.records = new MemoryRecords(redis, embedder);
    }

    public Remembered remember(String tenant, NewMemory memory) {
        return rememberAll(tenant, List.of(memory)).getFirst();
    }

    /** Validates all first, embeds them in one batch, then stores each (dedup per memory). */
    public List<Remembered> rememberAll(String tenant, List<NewMemory> memories) {
        LtmKeys keys = LtmKeys.of(tenant);
        List<NewMemory> checked = memories.stream().map(this::check).toList();
        Supplier<TenantModel> stored = TenantModel.readLater(redis, keys);
        List<float[]> vectors =
                embedder.embedAll(checked.stream().map(NewMemory::text).toList());
        TenantModel current = stored.get();
        current.requireWritable(tenant, model());
        // while the tenant is re-embedded its vectors are of two models: no dedup search among them
        boolean dedup = dedupDistance() > 0 && current.reembedFrom() == null;
        List<Remembered> out = new ArrayList<>(checked.size());
        for (int i = 0; i < checked.size(); i++) {
            out.add(store(keys, checked.get(i), vectors.get(i), dedup));
        }
        return out;
    }

    /**
     * Stores memories whose embeddings were computed elsewhere (a restore, a migration, a benchmark's
     * synthetic vectors): no embedding and no dedup, so importing n memories costs n writes, not n searches.
     */
    public List<String> importAll(String tenant, List<NewMemory> memories, List<float[]> embeddings) {
        if (memories.size() != embeddings.size()) {
            throw new IllegalArgumentException(memories.size() + " memories but " + embeddings.size() + " embeddings");
        }
        LtmKeys keys = LtmKeys.of(tenant);
        List<String> ids = new ArrayList<>(memories.size());
        for (int i = 0; i < memories.size(); i++) {
            NewMemory m = check(memories.get(i));
            if (embeddings.get(i).length != embedder.dimensions()) {
                throw new IllegalArgumentException("embedding " + i + " has " + embeddings.get(i).length
                        + " dimensions, the embedder " + embedder.dimensions());
            }
            MemoryRecord record = created(keys, m, embeddings.get(i));
            records.write(keys, record, "new");
            ids.add(record.id());
        }
        return ids;
    }

    // Named in dev.engram.observability.Meters.RECALL_DURATION (memory does not depend on observability).
    @Timed(
            value = "engram.memory.recall.duration",
            description = "Long-term memory recall: embedding the query and searching")
    public List<RecallHit> recall(String tenant, RecallQuery query) {
        LtmKeys keys = LtmKeys.of(tenant);
        String text = MemoryInput.text(query.text(), "query", config.maxTextChars());
        int k = query.k() == null ? config.recallDefaultK() : query.k();
        if (k < 1 || k > config.recallMaxK()) {
            throw new InvalidRequestException(
                    "out_of_range", "'k' must be between 1 and " + config.recallMaxK() + ", got " + k);
        }
        float minScore = query.minScore() == null ? defaultMinScore() : query.minScore();
        if (!(minScore >= -1 && minScore <= 1)) {
            throw new InvalidRequestException(
                    "out_of_range", "'minScore' must be between -1 and 1, got " + query.minScore());
        }
        RecallFilter filter = MemoryInput.filter(query.filter());
        Supplier<TenantModel> stored = TenantModel.readLater(redis, keys);
        // with a recency boost, twice as many candidates, so a newer memory just below the k-th can move up
        int candidates = config.recencyHalfLife().isPresent() ? Math.min(config.recallMaxK(), 2 * k) : k;
        List<VectorIndex.Scored> scored = indexes.get()
                .search(
                        keys,
                        () -> {
                            float[] vector = embedder.embedQuery(text);
                            stored.get().requireSearchable(tenant, model()); // answered while the query was embedded
                            return vector;
                        },
                        filter,
                        candidates,
                        minScore);
        List<RecallHit> hits = records.fetch(keys, scored);
        return config.recencyHalfLife()
                .map(halfLife -> byRecency(hits, halfLife, k))
                .orElse(hits);
    }

    /** The best {@code k} by similarity plus the recency boost ({@link MemoryConfig#recencyHalfLife()}). */
    private List<RecallHit> byRecency(List<RecallHit> hits, Duration halfLife, int k) {
        long now = System.currentTimeMillis();
        double weight = config.recencyWeight();
        double half = Math.max(1, halfLife.toMillis());
        return hits.stream()
                .sorted(Comparator.comparingDouble((RecallHit h) ->
                        -(h.score() + weight * Math.pow(2, -Math.max(0, now - h.createdAt()) / half))))
                .limit(k)
                .toList();
    }

    public long forgetId(String tenant, String id) {
        return records.forget(LtmKeys.of(tenant), List.of(Objects.requireNonNull(MemoryInput.id(id, "id"))));
    }

    public long forgetSession(String tenant, String sessionId) {
        LtmKeys keys = LtmKeys.of(tenant);
        return records.forget(keys, records.idsOfSession(keys, MemoryInput.id(sessionId, "sessionId")));
    }

    public long forgetUser(String tenant, String userId) {
        LtmKeys keys = LtmKeys.of(tenant);
        return records.forget(keys, records.idsOfUser(keys, MemoryInput.id(userId, "userId")));
    }

    /** Everything of the tenant. The version key stays (bumped), so no warm cache can mistake an old version for the new state. */
    public long forgetAll(String tenant) {
        LtmKeys keys = LtmKeys.of(tenant);
        return records.forget(keys, records.ids(keys));
    }

    @Override
    public String name() {
        return "longTermMemory";
    }

    @Override
    public List<String> segments() {
        return List.of(LtmKeys.SEGMENT);
    }

    /** The tenant's keys are gone: this instance's cached vectors of it go too. */
    @Override
    public long eraseElsewhere(Tenant tenant) {
        indexes.evict(tenant.id());
        return 0;
    }

    /** {@code minScore} of a recall that gives none: the configured one, else the embedding model's calibrated one. */
    public float defaultMinScore() {
        return config.recallMinScore().orElse(embedder.model().minScore());
    }

    /** The dedup distance: the configured one, else the embedding model's calibrated one. */
    public float dedupDistance() {
        return config.dedupDistance().orElse(embedder.model().dedupDistance());
    }

    /** The embedding model this instance embeds with; a tenant's memories must have been embedded by it. */
    public String model() {
        return embedder.model().id();
    }

    /** Which index recall uses against this Redis ({@code scan} or {@code query-engine}). */
    public String indexName() {
        return indexes.get().name();
    }

    private NewMemory check(NewMemory m) {
        return new NewMemory(
                MemoryInput.text(m.text(), "text", config.maxTextChars()),
                MemoryInput.tags(m.tags(), "tags"),
                MemoryInput.id(m.userId(), "userId"),
                MemoryInput.id(m.sessionId(), "sessionId"),
                m.source() == null ? MemorySource.user : m.source());
    }

    private Remembered store(LtmKeys keys, NewMemory m, float[] vector, boolean dedup) {
        RecallHit twin = dedup ? nearestInScope(keys, m, vector) : null;
        if (twin != null && repeats(twin, m)) {
            return new Remembered(twin.id(), true);
        }
        if (twin != null && records.write(keys, merged(keys, twin, m, vector), "update") >= 0) {
            return new Remembered(twin.id(), true);
        }
        MemoryRecord created = created(keys, m, vector);
        records.write(keys, created, "new");
        return new Remembered(created.id(), false);
    }

    /**
     * Stores a queue entry's memories at most once: each is merged like {@link #rememberAll} (an exact
     * repeat of a memory in its scope is dropped, a near one updated, the older text kept as its
     * history), and all of them are written in one atomic step with the entry's acknowledgement
     * ({@link EntryCommit}). An entry already done writes nothing.
     */
    public Promoted rememberOnce(String tenant, List<NewMemory> memories, EntryCommit entry) {
        LtmKeys keys = LtmKeys.of(tenant);
        Map<String, NewMemory> distinct = new LinkedHashMap<>();
        memories.stream().map(this::check).forEach(m -> distinct.putIfAbsent(m.text(), m));
        List<NewMemory> checked = List.copyOf(distinct.values());
        Supplier<TenantModel> stored = TenantModel.readLater(redis, keys);
        List<float[]> vectors = checked.isEmpty()
                ? List.of()
                : embedder.embedAll(checked.stream().map(NewMemory::text).toList());
        TenantModel current = stored.get();
        current.requireWritable(tenant, model());
        boolean dedup = dedupDistance() > 0 && current.reembedFrom() == null;
        List<MemoryRecords.Write> writes = new ArrayList<>();
        int updated = 0;
        for (int i = 0; i < checked.size(); i++) {
            NewMemory m = checked.get(i);
            RecallHit twin = dedup ? nearestInScope(keys, m, vectors.get(i)) : null;
            if (twin == null) {
                writes.add(new MemoryRecords.Write(created(keys, m, vectors.get(i)), "new"));
            } else if (!repeats(twin, m)) {
                writes.add(new MemoryRecords.Write(merged(keys, twin, m, vectors.get(i)), "update"));
                updated++;
            }
        }
        long written = records.promote(keys, writes, entry);
        if (written < 0) {
            return new Promoted(0, 0, 0, true);
        }
        return new Promoted(writes.size() - updated, updated, memories.size() - writes.size(), false);
    }

    /** An exact repeat: the same text, and no tag the stored memory lacks. */
    private static boolean repeats(RecallHit twin, NewMemory m) {
        return twin.text().equals(m.text()) && twin.tags().containsAll(m.tags());
    }

    /** The twin updated by {@code m}: newer text and vector, tags merged, id, createdAt and source kept. */
    private static MemoryRecord merged(LtmKeys keys, RecallHit twin, NewMemory m, float[] vector) {
        List<String> tags = new ArrayList<>(new LinkedHashSet<>(concat(twin.tags(), m.tags())));
        return new MemoryRecord(
                twin.id(),
                keys.tenant(),
                m.userId(),
                m.sessionId(),
                m.text(),
                tags.subList(0, Math.min(tags.size(), MemoryInput.MAX_TAGS)),
                twin.createdAt(),
                twin.source(),
                vector);
    }

    private static MemoryRecord created(LtmKeys keys, NewMemory m, float[] vector) {
        return new MemoryRecord(
                MemoryRecords.newId(),
                keys.tenant(),
                m.userId(),
                m.sessionId(),
                m.text(),
                m.tags(),
                System.currentTimeMillis(),
                m.source(),
                vector);
    }

    /** The closest memory within the dedup distance whose scope is exactly the new memory's. */
    private RecallHit nearestInScope(LtmKeys keys, NewMemory m, float[] vector) {
        RecallFilter scope = new RecallFilter(m.userId(), m.sessionId(), null, null, null);
        List<VectorIndex.Scored> near =
                indexes.get().search(keys, vector, scope, DEDUP_CANDIDATES, 1 - dedupDistance());
        for (RecallHit hit : records.fetch(keys, near)) {
            if (Objects.equals(hit.userId(), m.userId()) && Objects.equals(hit.sessionId(), m.sessionId())) {
                return hit;
            }
        }
        return null;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
