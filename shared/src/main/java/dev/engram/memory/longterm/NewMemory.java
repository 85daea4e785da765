package dev.engram.memory.longterm;

import java.util.List;

/** What {@link LongTermMemory#remember} is given; validated there. userId, sessionId, tags optional. */
public record NewMemory(String text, List<String> tags, String userId, String sessionId, MemorySource source) {
    public static NewMemory of(String text) {
        return new NewMemory(text, null, null, null, MemorySource.user);
    }
}
