package dev.engram.memory.longterm;

import dev.engram.errors.EngramException;
import dev.engram.errors.UnavailableException;
import dev.engram.memory.embedding.EmbeddingModel;
import dev.engram.redis.RedisGateway;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Which embedding model a tenant's long-term memories were embedded with, as the tenant's version hash
 * records it ({@code model}; {@code reembed} and {@code cursor} while they are being re-embedded). A
 * tenant with memories but no recorded model was stored before models were recorded: by MiniLM, the
 * only model then. Scores between vectors of two models mean nothing, so an instance configured for
 * another model may neither recall nor add memories there until they are re-embedded.
 *
 * @param model       the tenant's model, null when it has no memories
 * @param reembedFrom the model being re-embedded from, null when no re-embed is under way
 * @param cursor      the next slot to re-embed
 * @param rows        the tenant's slot high-water mark
 */
public record TenantModel(String model, String reembedFrom, long cursor, long rows) {
    /** The model of memories stored before the model was recorded with them. */
    public static final String LEGACY = EmbeddingModel.MINILM.id();

    static final String MISMATCH = "embedding_model_mismatch";
    static final String REEMBEDDING = "memory_reembedding";
    private static final Duration RETRY = Duration.ofSeconds(5);

    /** Sends the read now and answers when asked: the round trip overlaps whatever runs in between. */
    static Supplier<TenantModel> readLater(RedisGateway redis, LtmKeys keys) {
        Supplier<Response> reply =
                redis.sendLater(Command.HMGET, List.of(keys.version(), "model", "rows", "reembed", "cursor"));
        return () -> of(reply.get());
    }

    static TenantModel read(RedisGateway redis, LtmKeys keys) {
        return readLater(redis, keys).get();
    }

    private static TenantModel of(Response r) {
        long rows = num(r.get(1));
        String model = str(r.get(0));
        return new TenantModel(model == null && rows > 0 ? LEGACY : model, str(r.get(2)), num(r.get(3)), rows);
    }

    /** Whether memories of {@code configured} may be added: 409 when the tenant holds another model's. */
    void requireWritable(String tenant, String configured) {
        if (model != null && !model.equals(configured)) {
            throw mismatch(tenant, model, configured);
        }
    }

    /** Whether a recall with {@code configured} means anything: 409 for another model's memories, 503 while re-embedding. */
    void requireSearchable(String tenant, String configured) {
        requireWritable(tenant, configured);
        if (reembedFrom != null) {
            throw new UnavailableException(
                    REEMBEDDING,
                    "Tenant '" + tenant + "': its long-term memories are being re-embedded from "
                            + reembedFrom + " to " + model + " (" + Math.min(cursor, rows) + " of " + rows
                            + " slots done); recall answers again when that is complete. If no re-embed is running, an operator resumes it "
                            + "with POST /memory-reembed {\"tenant\": \"" + tenant + "\"}",
                    RETRY);
        }
    }

    static EngramException mismatch(String tenant, String stored, String configured) {
        return new EngramException(
                409,
                MISMATCH,
                "Tenant '" + tenant + "' has long-term memories embedded with " + stored
                        + " but this function embeds with " + configured
                        + " (engram.embedding.model); their scores cannot be compared. "
                        + "Re-embed the tenant's memories with " + configured
                        + " (operators: POST /memory-reembed {\"tenant\": \"" + tenant
                        + "\"} until done) or set engram.embedding.model=" + stored);
    }

    private static String str(Response r) {
        return r == null ? null : r.toString();
    }

    private static long num(Response r) {
        return r == null ? 0 : Long.parseLong(r.toString());
    }
}
