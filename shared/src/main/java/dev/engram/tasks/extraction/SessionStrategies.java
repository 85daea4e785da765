package dev.engram.tasks.extraction;

import dev.engram.errors.InvalidRequestException;
import dev.engram.memory.MemoryConfig;
import dev.engram.memory.promotion.PromotionConfig;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.memory.promotion.SessionStrategy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A request's {@code promotion} choice for its session: checked (a 400 naming the problem), then kept
 * for the session's later folds, whichever task folds them, for as long as the session lives.
 */
@ApplicationScoped
public class SessionStrategies {
    private final PromotionQueue queue;
    private final PromotionConfig config;
    private final MemoryConfig memoryConfig;

    public SessionStrategies(PromotionQueue queue, PromotionConfig config, MemoryConfig memoryConfig) {
        this.queue = queue;
        this.config = config;
        this.memoryConfig = memoryConfig;
    }

    /** Checks the choice without storing it (before the model runs); null passes. */
    public void check(PromotionChoice choice, String sessionId) {
        if (choice == null) {
            return;
        }
        if (sessionId == null) {
            throw new InvalidRequestException(
                    "invalid_promotion", "'promotion' goes with a 'sessionId': it applies to that session's folds");
        }
        if (choice.strategy() == null) {
            throw new InvalidRequestException("missing_field", "'promotion.strategy' is required");
        }
        if (choice.instruction() != null && choice.instruction().length() > memoryConfig.maxTextChars()) {
            throw new InvalidRequestException(
                    "too_long",
                    "'promotion.instruction' is " + choice.instruction().length() + " characters; the limit is "
                            + memoryConfig.maxTextChars());
        }
        Strategy.resolve(choice.strategy(), choice.instruction(), null, config);
    }

    /** Stores a checked choice for the session. */
    public void choose(String tenant, String sessionId, PromotionChoice choice) {
        if (choice != null) {
            Strategy s = Strategy.parse(choice.strategy(), "promotion.strategy");
            queue.chooseForSession(
                    tenant,
                    sessionId,
                    new SessionStrategy(s.name(), s == Strategy.custom ? choice.instruction() : null),
                    memoryConfig.sessionTtl());
        }
    }
}
