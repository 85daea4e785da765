package dev.engram.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} its own real redis-server ({@link RedisServer}) and points the Quarkus
 * Redis client at it. Tests that take Redis away reach it through {@link #server()}.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {
    private static volatile RedisServer current;

    private RedisServer server;

    @Override
    public Map<String, String> start() {
        RedisServer created = new RedisServer();
        try {
            created.start();
        } catch (RuntimeException e) {
            created.close(); // its temporary directory
            throw e;
        }
        server = created;
        current = server;
        return Map.of("quarkus.redis.hosts", server.uri());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            if (current == server) {
                current = null;
            }
            server = null;
        }
    }

    /** The redis-server of the running test application, to kill or restart it. */
    public static RedisServer server() {
        RedisServer running = current;
        if (running == null) {
            throw new IllegalStateException(
                    "No RedisTestResource is active: annotate the test with @QuarkusTestResource(RedisTestResource.class)");
        }
        return running;
    }
}
