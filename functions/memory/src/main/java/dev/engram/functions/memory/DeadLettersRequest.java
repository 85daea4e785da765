package dev.engram.functions.memory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code memory-promotion-failed}: the tenant, and at most {@code count} letters (default 100). */
@RegisterForReflection
public record DeadLettersRequest(String tenant, Integer count) {}
