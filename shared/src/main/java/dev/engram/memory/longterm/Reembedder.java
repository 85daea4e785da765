package dev.engram.memory.longterm;

import dev.engram.memory.embedding.Embedder;
import dev.engram.redis.RedisGateway;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-embeds a tenant's long-term memories with this instance's model after the model was changed, in
 * bounded steps that can be stopped and resumed anywhere. The first step switches the tenant's model
 * at once (from then on memories of the new model are accepted, recall answers 503 until the end) and
 * records a cursor; each step re-embeds the texts of the next slots and stores their vectors and the
 * advanced cursor in one script; the step that reaches the end clears the mark. A step's state lives
 * in Redis only, so a step cut off by a crash is simply done again by the next call; two callers at
 * once do some work twice and nothing wrong. A memory added or rewritten meanwhile already carries a
 * vector of the new model and is left as it is.
 */
@ApplicationScoped
public class Reembedder {
    private final RedisGateway redis;
    private final Embedder embedder;
    private final MemoryRecords records;

    public Reembedder(RedisGateway redis, Embedder embedder) {
        this.redis = redis;
        this.embedder = embedder;
        this.records = new MemoryRecords(redis, embedder);
    }

    /** Re-embeds up to {@code batch} slots' memories of {@code tenant} and says how far it got. */
    public Reembedded step(String tenant, int batch) {
        LtmKeys keys = LtmKeys.of(tenant);
        String model = embedder.model().id();
        TenantModel state = TenantModel.read(redis, keys);
        if (state.model() == null || state.model().equals(model) && state.reembedFrom() == null) {
            return new Reembedded(tenant, model, null, 0, 0, true); // nothing stored, or nothing to change
        }
        String from = state.reembedFrom();
        long cursor = state.cursor();
        if (!state.model().equals(model)) {
            if (redis.eval(
                                    LtmScripts.REEMBED_START,
                                    List.of(keys.version()),
                                    List.of(model, state.model(), TenantModel.LEGACY))
                            .toLong()
                    == 0) {
                return step(tenant, batch); // the tenant changed meanwhile: look again
            }
            from = state.model();
            cursor = 0;
        }
        long end = Math.min(state.rows(), cursor + batch);
        List<Memory> memories = memories(keys, cursor, end);
        List<float[]> vectors = memories.isEmpty()
                ? List.of()
                : embedder.embedAll(memories.stream().map(Memory::text).toList());
        List<Object> args =
                new ArrayList<>(List.of(keys.prefix(), model, Integer.toString(Segments.ROWS), Long.toString(end)));
        for (int i = 0; i < memories.size(); i++) {
            args.add(memories.get(i).id());
            args.add(memories.get(i).text());
            args.add(Vectors.toBytes(vectors.get(i)));
            args.add(Vectors.toInt8Row(vectors.get(i)));
        }
        long stored = redis.eval(LtmScripts.REEMBED_ROWS, List.of(keys.version(), keys.slots()), args)
                .toLong();
        if (stored < 0) {
            return step(tenant, batch); // another model took over meanwhile: look again
        }
        boolean done = end >= state.rows()
                && redis.eval(LtmScripts.REEMBED_END, List.of(keys.version()), List.of(model))
                                .toLong()
                        == 1;
        return new Reembedded(tenant, model, from, (int) stored, Math.max(0, state.rows() - end), done);
    }

    private record Memory(String id, String text) {}

    /** The live memories in slots [from, to): ids from the segments' meta entries, texts from their hashes. */
    private List<Memory> memories(LtmKeys keys, long from, long to) {
        List<String> ids = new ArrayList<>();
        for (long slot = from; slot < to; ) {
            int seg = (int) (slot / Segments.ROWS);
            long segEnd = Math.min(to, (long) (seg + 1) * Segments.ROWS);
            List<String> args = new ArrayList<>();
            args.add(keys.segmentMeta(seg));
            for (long s = slot; s < segEnd; s++) {
                args.add(Long.toString(s % Segments.ROWS));
            }
            Response meta = redis.execute(Command.HMGET, args.toArray(String[]::new));
            for (Response line : meta) {
                if (line != null) {
                    String entry = line.toString();
                    ids.add(Segments.Row.parse(entry.substring(entry.indexOf('|') + 1))
                            .id());
                }
            }
            slot = segEnd;
        }
        List<Memory> out = new ArrayList<>(ids.size());
        List<String> texts = records.texts(keys, ids);
        for (int i = 0; i < ids.size(); i++) {
            if (texts.get(i) != null) {
                out.add(new Memory(ids.get(i), texts.get(i)));
            }
        }
        return out;
    }
}
