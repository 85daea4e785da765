package dev.engram.functions.memory;

import dev.engram.memory.erase.ErasedKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What {@code tenant-erase} answers: the keys removed per store, and their total. */
@RegisterForReflection
public record TenantErased(String tenant, ErasedKeys erased, long total) {}
