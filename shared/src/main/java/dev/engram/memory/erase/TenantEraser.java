package dev.engram.memory.erase;

import dev.engram.batch.BatchKeys;
import dev.engram.memory.longterm.VectorIndexes;
import dev.engram.redis.RedisGateway;
import dev.engram.memory.session.SessionKeys;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes everything a tenant has in Redis: every key under {@code engram:<tenant>:} (working memory,
 * long-term memory, batch jobs, rate-limit buckets, anything added later under the same prefix), found
 * with {@code SCAN MATCH} (never {@code KEYS}, which blocks Redis) and removed with {@code UNLINK}
 * (freed in the background) a page at a time; then the tenant's entries in the one cross-tenant key
 * (the set of unfinished batch jobs) and this instance's cached vectors of the tenant.
 * Other instances' caches see the version key gone and reload (empty) at their next recall.
 *
 * <p>Writes racing the erase (a request of the tenant still in flight) can leave keys behind: revoke
 * the tenant's keys first, then erase. A second erase finds what a race left.
 */
@ApplicationScoped
public class TenantEraser {
    private static final Logger LOG = Logger.getLogger(TenantEraser.class);
    private static final int PAGE = 500;

    private final RedisGateway redis;
    private final VectorIndexes indexes;

    public TenantEraser(RedisGateway redis, VectorIndexes indexes) {
        this.redis = redis;
        this.indexes = indexes;
    }

    public ErasedKeys erase(String tenant) {
        if (tenant == null || !SessionKeys.TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("A tenant is 1 to 64 characters from A-Z a-z 0-9 _ -, got '" + tenant + "'");
        }
        String prefix = "engram:" + tenant + ":";
        long[] counts = new long[5];
        String cursor = "0";
        do {
            Response page = redis.execute(Command.SCAN, cursor, "MATCH", prefix + "*", "COUNT", Integer.toString(PAGE));
            cursor = page.get(0).toString();
            List<String> keys = new ArrayList<>();
            for (Response key : page.get(1)) {
                keys.add(key.toString());
            }
            if (!keys.isEmpty()) {
                redis.execute(Command.UNLINK, keys.toArray(String[]::new));
                for (String key : keys) {
                    counts[store(key.substring(prefix.length()))]++;
                }
            }
        } while (!"0".equals(cursor));
        counts[2] += forgetUnfinishedJobs(tenant);
        indexes.evict(tenant);
        ErasedKeys erased = new ErasedKeys(counts[0], counts[1], counts[2], counts[3], counts[4]);
        // Counts only: never the tenant's contents.
        LOG.infof("Erased tenant %s: %d keys (%s)", tenant, erased.total(), erased);
        return erased;
    }

    /** The one cross-tenant key: the set of unfinished batch jobs runners look for, "<tenant>/<jobId>". */
    private long forgetUnfinishedJobs(String tenant) {
        List<String> members = new ArrayList<>();
        for (Response member : redis.execute(Command.SMEMBERS, BatchKeys.GLOBAL_UNFINISHED)) {
            if (member.toString().startsWith(tenant + "/")) {
                members.add(member.toString());
            }
        }
        if (members.isEmpty()) {
            return 0;
        }
        members.addFirst(BatchKeys.GLOBAL_UNFINISHED);
        return redis.execute(Command.SREM, members.toArray(String[]::new)).toLong();
    }

    private static int store(String rest) {
        if (rest.startsWith("wm:") || rest.startsWith("wm-turns:")) {
            return 0;
        }
        if (rest.startsWith("ltm:")) {
            return 1;
        }
        if (rest.startsWith("batch:")) {
            return 2;
        }
        if (rest.startsWith("limit:")) {
            return 3;
        }
        return 4;
    }
}
