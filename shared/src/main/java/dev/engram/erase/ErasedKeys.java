package dev.engram.erase;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keys removed by a tenant erase, per store ({@link dev.engram.tenant.TenantData#name()}) in name
 * order, then {@link #OTHER}: keys under the tenant's prefix that no store claims.
 */
public record ErasedKeys(Map<String, Long> perStore) {
    public static final String OTHER = "other";

    public ErasedKeys {
        perStore = Collections.unmodifiableMap(new LinkedHashMap<>(perStore));
    }

    public long total() {
        return perStore.values().stream().mapToLong(Long::longValue).sum();
    }
}
