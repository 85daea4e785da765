package dev.engram.erase;

import dev.engram.redis.KeyScanner;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.tenant.TenantData;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Removes everything a tenant has in Redis: every key under the tenant's prefix (each store's, and
 * anything added later under the same prefix), found with {@code SCAN MATCH} ({@link KeyScanner}: on every
 * master of a cluster) and removed with {@code UNLINK} (freed in the background) a page at a time; then
 * each store ({@link TenantData}) removes what it keeps of the tenant elsewhere (entries in a
 * cross-tenant key, this instance's caches). Other instances' caches see the tenant's version keys gone
 * and reload (empty) at their next use. One scan serves every store: a {@code SCAN} walks the whole
 * keyspace, whatever its pattern.
 *
 * <p>Writes racing the erase (a request of the tenant still in flight) can leave keys behind: revoke
 * the tenant's keys first, then erase. A second erase finds what a race left.
 */
@ApplicationScoped
public class TenantEraser {
    private static final Logger LOG = Logger.getLogger(TenantEraser.class);

    private final RedisGateway redis;
    private final KeyScanner scanner;
    private final List<TenantData> stores;

    public TenantEraser(RedisGateway redis, KeyScanner scanner, Instance<TenantData> stores) {
        this.redis = redis;
        this.scanner = scanner;
        this.stores =
                stores.stream().sorted(Comparator.comparing(TenantData::name)).toList();
    }

    public ErasedKeys erase(Tenant tenant) {
        Map<String, Long> counts = new LinkedHashMap<>();
        stores.forEach(store -> counts.put(store.name(), 0L));
        counts.put(ErasedKeys.OTHER, 0L);
        scanner.scan(tenant.keyPrefix() + "*", keys -> {
            // one UNLINK per key: on Redis Cluster the page's keys are in many slots (of one master)
            redis.sendAll(
                    keys.stream().map(key -> Command.UNLINK).toList(),
                    keys.stream().<List<?>>map(List::of).toList(),
                    keys.size());
            for (String key : keys) {
                counts.merge(owner(tenant, key), 1L, Long::sum);
            }
        });
        for (TenantData store : stores) {
            counts.merge(store.name(), store.eraseElsewhere(tenant), Long::sum);
        }
        ErasedKeys erased = new ErasedKeys(counts);
        // Counts only: never the tenant's contents.
        LOG.infof("Erased tenant %s: %d keys (%s)", tenant.id(), erased.total(), erased.perStore());
        return erased;
    }

    /** The name of the store whose segment the key is in, or {@link ErasedKeys#OTHER}. */
    private String owner(Tenant tenant, String key) {
        for (TenantData store : stores) {
            for (String segment : store.segments()) {
                if (key.startsWith(tenant.keyPrefix(segment))) {
                    return store.name();
                }
            }
        }
        return ErasedKeys.OTHER;
    }
}
