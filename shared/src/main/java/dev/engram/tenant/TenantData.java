package dev.engram.tenant;

import java.util.List;

/**
 * A store that keeps tenants' data in Redis, each tenant's under {@link Tenant#keyPrefix(String)} of
 * the store's own segments. Erasing a tenant asks every store which of the tenant's keys are its, and
 * to remove what it keeps of the tenant anywhere else.
 */
public interface TenantData {
    /** What this store's keys are counted as when a tenant is erased ({@code workingMemory}, {@code batch}...). */
    String name();

    /** The segments that are this store's: the tenant's keys {@code engram:<tenant>:<segment>:...}. */
    List<String> segments();

    /**
     * Removes what the store keeps of the tenant outside the tenant's own keys (its entries in a
     * cross-tenant key, this instance's caches); runs after those keys are gone. Answers how many
     * Redis entries it removed.
     */
    default long eraseElsewhere(Tenant tenant) {
        return 0;
    }
}
