package dev.engram.functions.memory;

import dev.engram.tasks.extraction.ConversationTurn;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The body of {@code remember}: either {@code text} (with optional {@code tags}), stored at once, or a
 * {@code conversation}, queued for the memory worker with an optional {@code strategy} ({@code custom}
 * with its {@code instruction}). {@code userId} and {@code sessionId} scope either.
 */
@RegisterForReflection
public record RememberRequest(
        String text,
        List<String> tags,
        String userId,
        String sessionId,
        List<ConversationTurn> conversation,
        String strategy,
        String instruction) {}
