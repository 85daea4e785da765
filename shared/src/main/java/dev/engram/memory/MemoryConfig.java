package dev.engram.memory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

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

    /**
     * Echo the exact prompt text the model received in each response's {@code prompt} field. For
     * debugging and tests only: it returns remembered turns to the caller.
     */
    @WithDefault("false")
    boolean echoPrompt();

    // Long-term memory (dev.engram.memory.longterm).

    /** {@code k} of a recall when the request gives none. */
    @WithDefault("5")
    int recallDefaultK();

    /** The largest {@code k} a recall may ask for (1 … this). */
    @WithDefault("50")
    int recallMaxK();

    /**
     * The cosine similarity below which a memory is not returned, when a recall gives no
     * {@code minScore}. MiniLM puts unrelated sentences around 0 to 0.2 and paraphrases above 0.5.
     */
    @WithDefault("0.25")
    float recallMinScore();

    /** The longest memory text (and recall query) in characters; longer is a 400, never truncated. */
    @WithDefault("4000")
    int maxTextChars();

    /**
     * A new memory whose cosine distance (1 − similarity) to an existing one in the same scope
     * (tenant + userId + sessionId) is at most this updates that memory instead of adding a
     * near-copy. 0 turns deduplication off. With MiniLM, paraphrases of one fact score 0.93–0.98
     * (distance ≤ 0.07) while "my dog is called Rex" / "my cat is called Rex" score 0.90: 0.08 keeps
     * those apart. Facts differing only in a number ("every 30 / 90 days", 0.97) are merged at any
     * useful threshold: embeddings do not see such differences.
     */
    @WithDefault("0.08")
    float dedupDistance();

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

    /** Store the turns folded out of working memory as {@code conversation} memories. */
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
