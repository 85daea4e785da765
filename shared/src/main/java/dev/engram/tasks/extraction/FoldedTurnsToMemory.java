package dev.engram.tasks.extraction;

import dev.engram.memory.MemoryConfig;
import dev.engram.memory.promotion.Promotion;
import dev.engram.memory.promotion.PromotionConfig;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.memory.promotion.SessionStrategy;
import dev.engram.memory.session.FoldedTurnsListener;
import dev.engram.memory.session.Handoff;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns folded out of working memory are queued for promotion to long-term memory, with the session's
 * own strategy (chosen by a request, {@link SessionStrategies}) or else the tenant's: one Redis write, so
 * the request that folded does not wait for the extraction, the embeddings or the memory writes; the
 * memory worker ({@link PromotionWorker}) does them later. Each fold is queued once by its name
 * ({@code <sessionId>#<seq>}), however often its hand-off is retried. A failure to queue (Redis away) is
 * thrown: the fold stays on the session's hand-off list and is queued on the session's next use.
 */
@ApplicationScoped
public class FoldedTurnsToMemory implements FoldedTurnsListener {
    private final PromotionQueue queue;
    private final MemoryConfig memoryConfig;
    private final PromotionConfig config;

    public FoldedTurnsToMemory(PromotionQueue queue, MemoryConfig memoryConfig, PromotionConfig config) {
        this.queue = queue;
        this.memoryConfig = memoryConfig;
        this.config = config;
    }

    @Override
    public void onFolded(String tenant, String sessionId, Handoff handoff) {
        if (!memoryConfig.storeFoldedTurns() || handoff.turns().isEmpty()) {
            return;
        }
        SessionStrategy own = queue.sessionStrategy(tenant, sessionId);
        Strategy strategy =
                own == null ? Strategy.resolve(null, null, tenant, config) : Strategy.parse(own.strategy(), "strategy");
        queue.enqueue(
                tenant,
                Promotion.of(sessionId, null, strategy.name(), own == null ? null : own.instruction(), handoff.turns()),
                sessionId + "#" + handoff.seq());
    }
}
