package dev.engram.erase;

import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.tenant.TenantData;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Removes everything a tenant has in Redis: every key under the tenant's prefix (each store's, and
 * anything added later under the same prefix), found with {@code SCAN MATCH} (never {@code KEYS},
 * which blocks Redis) and removed with {@code UNLINK} (freed in the background) a page at a time; then
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
    private static final int PAGE = 500;

    private final RedisGateway redis;
    private final List<TenantData> stores;

    public TenantEraser(RedisGateway redis, Instance<TenantData> stores) {
        this.redis = redis;
        this.stores = stores.stream().sorted(Comparator.comparing(TenantData::name)).toList();
    }

    public ErasedKeys erase(Tenant tenant) {
        Map<String, Long> counts = new LinkedHashMap<>();
        stores.forEach(store -> counts.put(store.name(), 0L));
        counts.put(ErasedKeys.OTHER, 0L);
        String cursor = "0";
        do {
            Response page = redis.execute(Command.SCAN, cursor, "MATCH", tenant.keyPrefix() + "*", "COUNT", Integer.toString(PAGE));
            cursor = page.get(0).toString();
            List<String> keys = new ArrayList<>();
            for (Response key : page.get(1)) {
                keys.add(key.toString());
            }
            if (!keys.isEmpty()) {
                redis.execute(Command.UNLINK, keys.toArray(String[]::new));
                for (String key : keys) {
                    counts.merge(owner(tenant, key), 1L, Long::sum);
                }
            }
        } while (!"0".equals(cursor));
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
