package dev.engram.memory.longterm;

import dev.engram.memory.MemoryConfig;
import dev.engram.memory.embedding.Embedder;
import dev.engram.redis.RedisGateway;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Chooses the {@link VectorIndex}: {@link QueryEngineIndex} when the Redis server knows
 * {@code FT.SEARCH} ({@code COMMAND INFO FT.SEARCH} answers with a command, not nil), else
 * {@link ScanIndex}. {@code engram.memory.index} = {@code scan} or {@code query-engine} forces one.
 * The probe runs at the first use, not at start-up, so a function starts while Redis is away; a failed
 * probe (Redis down: 503) is simply tried again by the next request.
 */
@ApplicationScoped
public class VectorIndexes {
    private static final Logger LOG = Logger.getLogger(VectorIndexes.class);

    private final RedisGateway redis;
    private final MemoryConfig config;
    private final Embedder embedder;
    private volatile VectorIndex chosen;

    public VectorIndexes(RedisGateway redis, MemoryConfig config, Embedder embedder) {
        this.redis = redis;
        this.config = config;
        this.embedder = embedder;
    }

    public VectorIndex get() {
        VectorIndex index = chosen;
        if (index == null) {
            synchronized (this) {
                index = chosen;
                if (index == null) {
                    chosen = index = choose();
                    LOG.infof("Long-term memory recall uses the %s index", index.name());
                }
            }
        }
        return index;
    }

    /** Drops this instance's cached index data of a tenant; nothing to do when no index was chosen yet. */
    public void evict(String tenant) {
        VectorIndex index = chosen;
        if (index != null) {
            index.evict(tenant);
        }
    }

    private VectorIndex choose() {
        return switch (config.index()) {
            case "scan" -> new ScanIndex(redis, embedder.dimensions());
            case "query-engine" -> new QueryEngineIndex(redis, embedder.dimensions());
            case "auto" ->
                hasQueryEngine()
                        ? new QueryEngineIndex(redis, embedder.dimensions())
                        : new ScanIndex(redis, embedder.dimensions());
            default ->
                throw new IllegalStateException(
                        "engram.memory.index is auto, scan or query-engine, got '" + config.index() + "'");
        };
    }

    private boolean hasQueryEngine() {
        Response info = redis.execute(Command.COMMAND, "INFO", "FT.SEARCH");
        return info != null
                && info.size() > 0
                && info.get(0) != null
                && info.get(0).size() > 0;
    }
}
