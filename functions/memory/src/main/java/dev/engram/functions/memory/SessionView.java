package dev.engram.functions.memory;

import dev.engram.memory.promotion.PendingPromotions;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.Turn;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What {@code session-get} answers: the turns kept verbatim (oldest first), the rolling summary of the
 * older ones, the tokens of each, the seconds left before the session expires unless used, and its
 * folded turns still on their way to long-term memory ({@code promotion}; {@code pending} counts the
 * folds queued and those still waiting to be queued).
 */
@RegisterForReflection
public record SessionView(
        String sessionId,
        List<Turn> turns,
        String summary,
        int summaryTokens,
        int turnTokens,
        long ttlSeconds,
        PendingPromotions promotion) {

    static SessionView of(Session session, PendingPromotions promotion) {
        return new SessionView(
                session.sessionId(),
                session.turns(),
                session.summary(),
                session.summaryTokens(),
                session.turnTokens(),
                session.ttlSecondsLeft(),
                new PendingPromotions(promotion.pending() + session.handoffs(), promotion.failed()));
    }
}
