package dev.engram.tasks.conversation;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What working memory did for a request: the turns the session keeps verbatim after it, and whether
 * this request folded old turns into the rolling summary.
 */
@RegisterForReflection
public record MemoryReport(String sessionId, int turns, int turnTokens, boolean summarized) {}
