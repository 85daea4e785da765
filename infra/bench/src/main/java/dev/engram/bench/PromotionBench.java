package dev.engram.bench;

import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.MemorySource;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.promotion.Promotion;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.memory.session.Handoff;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Promotion of folded turns to long-term memory: what a folding request saves now that it queues the
 * turns instead of embedding and writing them itself, and how many queued entries the memory worker
 * processes per second by strategy.
 */
final class PromotionBench {
    /** One fold's turns: four exchanges, the size a 1024-token window folds at a time. */
    static final int EXCHANGES = 4;

    private final BenchOptions options;
    private final List<Row> rows;

    PromotionBench(BenchOptions options, List<Row> rows) {
        this.options = options;
        this.rows = rows;
    }

    /**
     * The promotion part of a folding request, before and now, interleaved: storing the exchanges
     * (embedding, dedup search and a write each, what the request did inline) against handing the fold
     * on (read the session's hand-off list, queue the fold once by name, take it off the list: three
     * round trips). The fold itself, the same in both, is not timed.
     */
    void requestCost(LongTermMemory memory, PromotionQueue queue, SessionStore sessions) {
        int n = options.quick() ? 30 : 100;
        List<Double> inline = new ArrayList<>();
        List<Double> queued = new ArrayList<>();
        String tenant = "bench-promo-queued";
        for (int i = -10; i < n; i++) { // the first ten warm both paths up
            List<Turn> turns = turns(i);
            long start = System.nanoTime();
            memory.rememberAll("bench-promo-inline", exchanges(turns, "s" + i));
            double inlineMs = (System.nanoTime() - start) / 1e6;
            String sessionId = "s" + i;
            Session session = sessions.append(tenant, sessionId, turns);
            sessions.fold(session, turns.size(), "A summary.", 3, true);
            start = System.nanoTime();
            for (Handoff handoff : sessions.handoffs(tenant, sessionId)) {
                queue.enqueue(
                        tenant,
                        Promotion.of(sessionId, null, "verbatim", null, handoff.turns()),
                        sessionId + "#" + handoff.seq());
                sessions.handedOff(tenant, sessionId, handoff);
            }
            double queuedMs = (System.nanoTime() - start) / 1e6;
            sessions.delete(tenant, sessionId);
            if (i >= 0) {
                inline.add(inlineMs);
                queued.add(queuedMs);
            }
        }
        Stats before = Stats.of(inline);
        Stats now = Stats.of(queued);
        rows.add(Row.of(
                "promotion",
                "fold's promotion inline: embed + dedup + write " + EXCHANGES + " exchanges",
                "ms",
                before,
                "what a folding request paid before promotion was queued (baseline)"));
        rows.add(Row.of(
                        "promotion",
                        "fold's promotion queued: hand-off (read, enqueue, remove)",
                        "ms",
                        now,
                        "what a folding request pays now")
                .compared(before.median() / now.median(), "inline / queued"));
        memory.forgetAll("bench-promo-inline");
    }

    /**
     * Entries per second the worker of a packaged generate function processes, by strategy: {@code n}
     * entries queued, then drained by one {@code POST /memory-promote}.
     */
    void throughput(FunctionClient worker, PromotionQueue queue, String model) throws Exception {
        int n = options.quick() ? 8 : 32;
        for (String strategy : List.of("verbatim", "summary", "discrete")) {
            // warm-up, not counted: the embedder's first call and the strategy's grammar are loaded once
            drain(worker, queue, strategy, "warm", 2);
            List<Double> perSecond = new ArrayList<>();
            for (int r = 0; r < Math.max(1, options.repeats()); r++) {
                perSecond.add(n * 1e9 / drain(worker, queue, strategy, "w" + r, n));
            }
            rows.add(Row.of(
                    "promotion",
                    "worker throughput, " + strategy,
                    "entries/s",
                    Stats.of(perSecond),
                    model + ", " + EXCHANGES
                            + " exchanges per entry, one worker, embedding and the atomic commit included"));
        }
    }

    /** Queues {@code n} entries of the strategy and drains them through the worker; answers the nanoseconds the drain took. */
    private static long drain(FunctionClient worker, PromotionQueue queue, String strategy, String prefix, int n)
            throws Exception {
        for (int i = 0; i < n; i++) {
            queue.enqueue(
                    "bench-promo-worker",
                    Promotion.of(prefix + "-" + i, null, strategy, null, turns(prefix.hashCode() + i)));
        }
        int done = 0;
        long start = System.nanoTime();
        while (done < n) {
            var drained = worker.call("memory-promote", Map.of("max", n - done));
            int step = drained.path("promoted").asInt()
                    + drained.path("deadLettered").asInt();
            if (step == 0 && drained.path("retried").asInt() == 0) {
                Thread.sleep(50); // failed entries waiting out their backoff
            }
            done += step;
        }
        return System.nanoTime() - start;
    }

    private static List<Turn> turns(int i) {
        List<Turn> turns = new ArrayList<>();
        for (int e = 0; e < EXCHANGES; e++) {
            turns.add(Turn.user("Entry " + i + ", question " + e + ": where did Lily leave her red ball?", 16, 0));
            turns.add(Turn.assistant("She left it under the old oak tree near the river, answer " + e + ".", 16, 0));
        }
        return turns;
    }

    private static List<NewMemory> exchanges(List<Turn> turns, String sessionId) {
        List<NewMemory> out = new ArrayList<>();
        for (int t = 0; t + 1 < turns.size(); t += 2) {
            out.add(new NewMemory(
                    "user: " + turns.get(t).text() + "\nassistant: "
                            + turns.get(t + 1).text(),
                    null,
                    null,
                    sessionId,
                    MemorySource.conversation));
        }
        return out;
    }
}
