package dev.engram.memory.longterm;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a memory came from. Lower-case constants because they are the JSON and Redis values:
 * {@code user} (remembered on purpose), {@code conversation} (turns folded out of working memory),
 * {@code document} (ingested text).
 */
@RegisterForReflection
public enum MemorySource {
    user,
    conversation,
    document
}
