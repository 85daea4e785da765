package dev.engram.memory.erase;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Keys removed by a tenant erase, per store (a key's store is the segment after {@code engram:<tenant>:}). */
@RegisterForReflection
public record ErasedKeys(long workingMemory, long longTermMemory, long batch, long limits, long other) {
    public long total() {
        return workingMemory + longTermMemory + batch + limits + other;
    }
}
