package dev.engram.observability;

import dev.engram.memory.MemoryConfig;
import dev.engram.redis.RedisGateway;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * With {@code engram.memory.required=true} (the memory function) readiness follows Redis: one PING,
 * bounded by {@code quarkus.redis.timeout}. Otherwise the check is up and says memory is optional.
 */
@Readiness
@ApplicationScoped
public class MemoryReadiness implements HealthCheck {
    private final MemoryConfig config;
    private final RedisGateway redis;

    public MemoryReadiness(MemoryConfig config, RedisGateway redis) {
        this.config = config;
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("redis").withData("required", config.required());
        if (!config.required()) {
            return response.up().build();
        }
        try {
            redis.send(Command.PING, List.of());
            return response.up().build();
        } catch (RuntimeException e) {
            return response.withData("error", String.valueOf(e.getMessage()))
                    .down()
                    .build();
        }
    }
}
