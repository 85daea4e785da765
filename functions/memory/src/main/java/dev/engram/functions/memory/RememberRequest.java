package dev.engram.functions.memory;

import java.util.List;

/** The body of {@code remember}: only {@code text} is required. */
public record RememberRequest(String text, List<String> tags, String userId, String sessionId) {}
