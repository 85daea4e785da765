package dev.engram.tasks.extraction;

import dev.engram.errors.InvalidRequestException;
import dev.engram.memory.MemoryConfig;
import dev.engram.memory.promotion.Promotion;
import dev.engram.memory.promotion.PromotionConfig;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.memory.session.SessionId;
import dev.engram.memory.session.Turn;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * A conversation a client gives to {@code remember}: checked (each turn a 400 naming what is wrong),
 * then queued for the memory worker like folded turns, with the request's strategy or the tenant's.
 */
@ApplicationScoped
public class ConversationQueue {
    /** The most turns one conversation may hold. */
    public static final int MAX_TURNS = 64;

    private final PromotionQueue queue;
    private final MemoryConfig memoryConfig;
    private final PromotionConfig config;

    public ConversationQueue(PromotionQueue queue, MemoryConfig memoryConfig, PromotionConfig config) {
        this.queue = queue;
        this.memoryConfig = memoryConfig;
        this.config = config;
    }

    /** Queues the conversation; answers its entry id. */
    public String enqueue(
            String tenant,
            List<ConversationTurn> conversation,
            String sessionId,
            String userId,
            String strategy,
            String instruction) {
        if (conversation.isEmpty() || conversation.size() > MAX_TURNS) {
            throw new InvalidRequestException(
                    "out_of_range", "'conversation' takes 1 to " + MAX_TURNS + " turns, got " + conversation.size());
        }
        List<Turn> turns = new ArrayList<>(conversation.size());
        long now = System.currentTimeMillis();
        for (int i = 0; i < conversation.size(); i++) {
            ConversationTurn t = conversation.get(i);
            String at = "'conversation[" + i + "]";
            if (t == null || !(Turn.USER.equals(t.role()) || Turn.ASSISTANT.equals(t.role()))) {
                throw new InvalidRequestException("invalid_role", at + ".role' must be 'user' or 'assistant'");
            }
            if (t.text() == null || t.text().isBlank()) {
                throw new InvalidRequestException("empty_text", at + ".text' must not be empty or blank");
            }
            if (t.text().length() > memoryConfig.maxTextChars()) {
                throw new InvalidRequestException(
                        "too_long",
                        at + ".text' is " + t.text().length() + " characters; the limit is "
                                + memoryConfig.maxTextChars());
            }
            turns.add(new Turn(t.role(), t.text(), 0, now));
        }
        if (instruction != null && instruction.length() > memoryConfig.maxTextChars()) {
            throw new InvalidRequestException(
                    "too_long",
                    "'instruction' is " + instruction.length() + " characters; the limit is "
                            + memoryConfig.maxTextChars());
        }
        for (String[] id : new String[][] {{sessionId, "sessionId"}, {userId, "userId"}}) {
            if (id[0] != null && !SessionId.PATTERN.matcher(id[0]).matches()) {
                throw new InvalidRequestException(
                        "invalid_" + (id[1].equals("userId") ? "user_id" : "session_id"),
                        "'" + id[1] + "' must be 1 to " + SessionId.MAX_LENGTH
                                + " characters from A-Z a-z 0-9 . _ : -");
            }
        }
        Strategy s = Strategy.resolve(strategy, instruction, tenant, config);
        return queue.enqueue(
                tenant, Promotion.of(sessionId, userId, s.name(), s == Strategy.custom ? instruction : null, turns));
    }
}
