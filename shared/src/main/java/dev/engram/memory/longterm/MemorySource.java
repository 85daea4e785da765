package dev.engram.memory.longterm;

/**
 * Where a memory came from. Lower-case constants because they are the JSON and Redis values:
 * {@code user} (remembered on purpose), {@code conversation} (turns folded out of working memory),
 * {@code document} (ingested text).
 */
public enum MemorySource {
    user, conversation, document
}
