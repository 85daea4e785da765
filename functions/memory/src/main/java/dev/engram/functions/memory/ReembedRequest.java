package dev.engram.functions.memory;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of {@code memory-reembed}: the tenant, and optionally how many slots this call re-embeds (1–10000). */
@RegisterForReflection
public record ReembedRequest(String tenant, Integer batch) {}
