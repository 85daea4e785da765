package dev.engram.tasks.extraction;

import dev.engram.memory.MemoryConfig;
import dev.engram.memory.promotion.Promotion;
import dev.engram.memory.promotion.PromotionConfig;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.memory.promotion.SessionStrategy;
import dev.engram.memory.session.FoldedTurnsListener;
import dev.engram.memory.session.Turn;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Turns folded out of working memory are queued for promotion to long-term memory, with the session's
 * own strategy (chosen by a request, {@link SessionStrategies}) or else the tenant's: one Redis write, so the request that folded does not wait for the extraction, the
 * embeddings or the memory writes; the memory worker ({@link PromotionWorker}) does them later.
 *
 * <p>Failing to queue them (Redis away) is logged, not thrown: the fold itself is already applied and
 * the user's answer must not be lost for it.
 */
@ApplicationScoped
public class FoldedTurnsToMemory implements FoldedTurnsListener {
    private static final Logger LOG = Logger.getLogger(FoldedTurnsToMemory.class);

    private final PromotionQueue queue;
    private final MemoryConfig memoryConfig;
    private final PromotionConfig config;

    public FoldedTurnsToMemory(PromotionQueue queue, MemoryConfig memoryConfig, PromotionConfig config) {
        this.queue = queue;
        this.memoryConfig = memoryConfig;
        this.config = config;
    }

    @Override
    public void onFolded(String tenant, String sessionId, List<Turn> folded) {
        if (!memoryConfig.storeFoldedTurns() || folded.isEmpty()) {
            return;
        }
        try {
            SessionStrategy own = queue.sessionStrategy(tenant, sessionId);
            Strategy strategy = own == null
                    ? Strategy.resolve(null, null, tenant, config)
                    : Strategy.parse(own.strategy(), "strategy");
            queue.enqueue(
                    tenant,
                    Promotion.of(sessionId, null, strategy.name(), own == null ? null : own.instruction(), folded));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Could not queue %d folded turns of session %s for long-term memory: %s",
                    folded.size(), sessionId, e.getMessage());
        }
    }
}
