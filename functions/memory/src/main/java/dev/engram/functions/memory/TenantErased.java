package dev.engram.functions.memory;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/** What {@code tenant-erase} answers: the keys removed per store, and their total. */
@RegisterForReflection
public record TenantErased(String tenant, Map<String, Long> erased, long total) {}
