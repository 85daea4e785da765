package dev.engram.memory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * How memory behaves: {@code engram.memory.*}. Where Redis is comes from the Quarkus Redis client
 * ({@code quarkus.redis.hosts}, set by {@code ENGRAM_REDIS_URL} in the function modules).
 */
@ConfigMapping(prefix = "engram.memory")
public interface MemoryConfig {

    /**
     * How long a session lives after its last use. Sliding: every load and every append starts it
     * again, so an active conversation never expires and an abandoned one frees its memory.
     * Inspecting a session ({@code session-get}) does not extend it.
     */
    @WithDefault("24h")
    Duration sessionTtl();

    /**
     * The working window: the most tokens of recent turns a session keeps verbatim. When the turns
     * exceed it, the oldest are folded into the session's rolling summary (the task asks the model to
     * summarise them; memory only stores the result).
     */
    @WithDefault("1024")
    int windowTokens();

    /** The most tokens the model may write for a rolling summary when old turns are folded. */
    @WithDefault("96")
    int summaryTokens();

    // Long-term memory (dev.engram.memory.longterm).

    /** {@code k} of a recall when the request gives none. */
    @WithDefault("5")
    int recallDefaultK();

    /** The largest {@code k} a recall may ask for (1 … this). */
    @WithDefault("50")
    int recallMaxK();

    /**
     * The cosine similarity below which a memory is not returned, when a recall gives no
     * {@code minScore}. Unset: the embedding model's own, calibrated on the project's labelled recall
     * set (scores of different models are not comparable; see the docs' memory page).
     */
    Optional<Float> recallMinScore();

    /** The longest memory text (and recall query) in characters; longer is a 400, never truncated. */
    @WithDefault("4000")
    int maxTextChars();

    /**
     * A new memory whose cosine distance (1 − similarity) to an existing one in the same scope
     * (tenant + userId + sessionId) is at most this updates that memory instead of adding a
     * near-copy; 0 turns deduplication off. Unset: the embedding model's own, calibrated so that no two
     * different facts of the labelled set are merged. Facts differing only in a number ("every 30 / 90
     * days") are merged at any useful distance: embeddings barely see such differences.
     */
    Optional<Float> dedupDistance();

    /**
     * How many slots one {@code POST /memory-reembed} call re-embeds when the request gives no
     * {@code batch}: each call stays short (a few seconds on two cores), the caller repeats until done.
     */
    @WithDefault("256")
    int reembedBatch();

    /**
     * The most prompt tokens (the model's tokenizer) recalled memories may take in a {@code generate}
     * with {@code useMemory: true}; memories are added best first while they fit.
     */
    @WithDefault("256")
    int recallBudgetTokens();

    /** How many memories {@code generate} recalls before applying the token budget. */
    @WithDefault("5")
    int recallPromptK();

    /**
     * The recall backend: {@code auto} (the query engine when Redis has {@code FT.SEARCH}, else the
     * in-function scan), {@code scan} or {@code query-engine}.
     */
    @WithDefault("auto")
    String index();

    /**
     * Recency boost of recall: unset (the default) ranks by similarity alone. Set, a memory's rank
     * score is its similarity plus {@code recency-weight × 2^(−age / half-life)}, so of two equally
     * close memories the newer comes first; {@code minScore} still applies to the similarity, and
     * {@code score} in the answer stays the similarity.
     */
    Optional<Duration> recencyHalfLife();

    /** The most a memory's recency can add to its rank score (a brand-new memory), when {@code recency-half-life} is set. */
    @WithDefault("0.05")
    float recencyWeight();

    /** Queue the turns folded out of working memory for promotion to long-term memory ({@code engram.memory.promotion.*}). */
    @WithDefault("true")
    boolean storeFoldedTurns();

    /**
     * Whether this function needs Redis to do its job (the memory function). Then readiness includes
     * a Redis PING ({@code redis} check), so a function that cannot reach Redis is taken out of
     * service; elsewhere memory is per request and readiness ignores Redis.
     */
    @WithDefault("false")
    boolean required();
}
