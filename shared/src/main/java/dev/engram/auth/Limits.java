package dev.engram.auth;

import dev.engram.errors.EngramException;
import dev.engram.errors.UnavailableException;
import dev.engram.redis.LuaScript;
import dev.engram.redis.RedisGateway;
import dev.engram.tenant.Tenant;
import dev.engram.tenant.TenantData;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * A tenant's limits: the body size, the generated-token cap, and requests per minute as a token bucket
 * in Redis ({@code engram:<tenant>:limit:rpm}), shared by every instance of every function. One Lua
 * script reads, refills and takes from the bucket with Redis's own clock, so instances with skewed
 * clocks still share one rate.
 *
 * <p>Redis unreachable: the request is let through (fail open) and a warning logged once per outage.
 * A limiter that refused everything while Redis is down would also stop the requests that need no
 * memory, which are exactly the ones that still work then.
 */
@ApplicationScoped
public class Limits implements TenantData {
    private static final Logger LOG = Logger.getLogger(Limits.class);
    /** The segment of the tenant's limit state. */
    public static final String SEGMENT = "limit";

    private static final LuaScript BUCKET = LuaScript.of("rate-limit", """
            local capacity = tonumber(ARGV[1])
            local per_ms = tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(state[1])
            local ts = tonumber(state[2])
            if tokens == nil or ts == nil then
              tokens = capacity
              ts = now
            end
            tokens = math.min(capacity, tokens + math.max(0, now - ts) * per_ms)
            local allowed = 0
            local wait = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            else
              wait = math.ceil((1 - tokens) / per_ms)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / per_ms) + 1000)
            return {allowed, wait}
            """);

    private final LimitsConfig config;
    private final RedisGateway redis;
    private final AtomicBoolean failingOpen = new AtomicBoolean();

    public Limits(LimitsConfig config, RedisGateway redis) {
        this.config = config;
        this.redis = redis;
    }

    public static String bucketKey(String tenant) {
        return Tenant.of(tenant).keyPrefix(SEGMENT) + "rpm";
    }

    @Override
    public String name() {
        return "limits";
    }

    @Override
    public List<String> segments() {
        return List.of(SEGMENT);
    }

    public long maxBodyBytes(String tenant) {
        LimitsConfig.TenantLimits own = config.tenant().get(tenant);
        return own != null && own.maxBodyBytes().isPresent()
                ? own.maxBodyBytes().getAsLong()
                : config.maxBodyBytes();
    }

    public int maxTokens(String tenant) {
        LimitsConfig.TenantLimits own = config.tenant().get(tenant);
        return own != null && own.maxTokens().isPresent() ? own.maxTokens().getAsInt() : config.maxTokens();
    }

    int requestsPerMinute(String tenant) {
        LimitsConfig.TenantLimits own = config.tenant().get(tenant);
        return own != null && own.requestsPerMinute().isPresent()
                ? own.requestsPerMinute().getAsInt()
                : config.requestsPerMinute();
    }

    int burst(String tenant) {
        LimitsConfig.TenantLimits own = config.tenant().get(tenant);
        if (own != null && own.burst().isPresent()) {
            return own.burst().getAsInt();
        }
        return config.burst().orElse(requestsPerMinute(tenant));
    }

    /** A 400 when a request asks for more generated tokens than its tenant may. */
    public void checkTokens(String tenant, Integer requested, String field) {
        int cap = maxTokens(tenant);
        if (cap > 0 && requested != null && requested > cap) {
            throw new EngramException(
                    400, "token_limit", "'" + field + "' may be at most " + cap + " for this tenant, got " + requested);
        }
    }

    /** Takes one request from the tenant's bucket, or throws 429 with the wait until the next one. */
    public void takeRequest(String tenant) {
        int perMinute = requestsPerMinute(tenant);
        if (perMinute <= 0) {
            return;
        }
        int capacity = Math.max(1, burst(tenant));
        double perMs = perMinute / 60_000.0;
        Response answer;
        try {
            answer = redis.eval(
                    BUCKET, List.of(bucketKey(tenant)), List.of(Integer.toString(capacity), Double.toString(perMs)));
        } catch (UnavailableException e) {
            if (failingOpen.compareAndSet(false, true)) {
                LOG.warnf(
                        "Rate limits are not enforced while Redis is unavailable (requests are let through): %s",
                        e.getMessage());
            }
            return;
        }
        if (failingOpen.compareAndSet(true, false)) {
            LOG.info("Rate limits are enforced again");
        }
        if (answer.get(0).toLong() == 1) {
            return;
        }
        long waitMs = answer.get(1).toLong();
        throw new RateLimitedException(
                "Tenant '" + tenant + "' is over its limit of " + perMinute + " requests per minute (bursts of "
                        + capacity + "); retry after " + Math.max(1, (waitMs + 999) / 1000) + " s",
                Duration.ofMillis(Math.max(1, waitMs)));
    }
}
