package dev.engram.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How Engram uses Redis beyond the connection: {@code engram.redis.*}. Where Redis is, and whether it
 * is a cluster, come from the Quarkus Redis client ({@code quarkus.redis.hosts},
 * {@code quarkus.redis.client-type}).
 */
@ConfigMapping(prefix = "engram.redis")
public interface RedisConfig {

    /**
     * How many replicas must confirm a write (a session's new turns, a remembered or forgotten memory)
     * before it is acknowledged, with Redis's {@code WAIT}. 0 acknowledges what the master has: Redis
     * replicates asynchronously, so a master lost right after may take its last writes with it when a
     * replica is promoted. 1 or more closes that gap for acknowledged writes, at one replica round trip
     * per write.
     */
    @WithDefault("0")
    int waitReplicas();

    /**
     * How long a write waits for {@code wait-replicas} confirmations. Fewer in time answer 503
     * {@code memory_unavailable} with Retry-After: the write reached the master, but it is not
     * promised to survive a failover.
     */
    @WithDefault("1s")
    Duration waitTimeout();
}
