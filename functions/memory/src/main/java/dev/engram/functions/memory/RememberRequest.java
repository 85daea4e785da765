package dev.engram.functions.memory;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The body of {@code remember}: only {@code text} is required. */
@RegisterForReflection
public record RememberRequest(String text, List<String> tags, String userId, String sessionId) {}
