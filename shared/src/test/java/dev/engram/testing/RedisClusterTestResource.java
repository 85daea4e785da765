package dev.engram.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} its own real Redis Cluster ({@link RedisCluster}: six nodes, three
 * masters with a replica each) and points the Quarkus Redis client at all its nodes. Tests that kill
 * a master reach the cluster through {@link #cluster()}.
 */
public class RedisClusterTestResource implements QuarkusTestResourceLifecycleManager {
    private static volatile RedisCluster current;

    private RedisCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = RedisCluster.start();
        current = cluster;
        return Map.of("quarkus.redis.hosts", cluster.hosts(), "quarkus.redis.client-type", "cluster");
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
            if (current == cluster) {
                current = null;
            }
            cluster = null;
        }
    }

    /** The cluster of the running test application, to kill and restart its nodes. */
    public static RedisCluster cluster() {
        RedisCluster running = current;
        if (running == null) {
            throw new IllegalStateException(
                    "No RedisClusterTestResource is active: annotate the test with @QuarkusTestResource(RedisClusterTestResource.class)");
        }
        return running;
    }
}
