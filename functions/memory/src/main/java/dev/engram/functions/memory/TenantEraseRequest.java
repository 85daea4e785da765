package dev.engram.functions.memory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code tenant-erase}: the tenant whose data goes. */
@RegisterForReflection
public record TenantEraseRequest(String tenant) {}
