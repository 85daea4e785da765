package dev.engram.bench;

import dev.engram.testing.FunctionProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Redis Cluster against one Redis, in the same run: what a session costs a generate request, what a
 * remember and a recall take over HTTP, on a single redis-server, on a six-node cluster on loopback, and
 * on that cluster with acknowledged writes waiting for a replica ({@code engram.redis.wait-replicas=1}).
 */
final class ClusterBench {
    private static final int MEMORIES = 200;

    /** Where the functions find Redis, by the name the rows carry. */
    record Target(String name, Map<String, String> env) {}

    private final BenchOptions options;
    private final List<Row> rows;

    ClusterBench(BenchOptions options, List<Row> rows) {
        this.options = options;
        this.rows = rows;
    }

    static List<Target> targets(String single, String clusterHosts) {
        Map<String, String> cluster = Map.of("ENGRAM_REDIS_URL", clusterHosts, "QUARKUS_REDIS_CLIENT_TYPE", "cluster");
        Map<String, String> waiting = new HashMap<>(cluster);
        waiting.put("ENGRAM_REDIS_WAIT_REPLICAS", "1");
        return List.of(
                new Target("single Redis", Map.of("ENGRAM_REDIS_URL", single)),
                new Target("cluster", cluster),
                new Target("cluster, wait-replicas=1", waiting));
    }

    void run(Path generate, Path memory, List<Target> targets) throws Exception {
        String model = options.referenceModel().getFileName().toString();
        double singleRemember = 0;
        double singleRecall = 0;
        for (Target target : targets) {
            Bench.progress("cluster: " + target.name());
            Map<String, String> env = new HashMap<>(target.env());
            env.put("ENGRAM_MODEL_PATH", options.referenceModel().toString());
            double overhead;
            try (FunctionProcess function = FunctionProcess.start(generate, env)) {
                FunctionClient client = new FunctionClient(function.uri());
                MemoryBench.warmUp(client, options.quick());
                MemoryBench.Pairs pairs = MemoryBench.pairs(client, "c", options.quick() ? 50 : 300, () -> 0);
                overhead = pairs.overhead();
            }
            Stats remember;
            Stats recall;
            try (FunctionProcess function = FunctionProcess.start(memory, env)) {
                FunctionClient client = new FunctionClient(function.uri());
                List<Double> writes = new ArrayList<>();
                for (int i = 0; i < MEMORIES; i++) {
                    writes.add(client.post(
                                            "remember",
                                            Map.of(
                                                    "text",
                                                    "Harbour log " + i + ": the ferry to the island left at "
                                                            + (6 + i % 12) + " o'clock with " + i + " passengers."))
                                    .nanos()
                            / 1e6);
                }
                remember = Stats.of(writes.subList(MEMORIES / 2, MEMORIES)); // the first half warms the JIT
                for (int i = 0; i < 30; i++) {
                    client.call("recall", Map.of("query", "warm-up " + i));
                }
                List<Double> reads = new ArrayList<>();
                for (int i = 0; i < (options.quick() ? 30 : 100); i++) {
                    reads.add(client.post("recall", Map.of("query", "when did the ferry leave on day " + i, "k", 5))
                                    .nanos()
                            / 1e6);
                }
                recall = Stats.of(reads);
                client.call("forget", Map.of("all", true));
            }
            String note = model + ", loopback; " + target.name();
            rows.add(Row.of("cluster", "session overhead at p50, " + target.name(), "ms", Stats.of(overhead), note));
            Row rememberRow = Row.of(
                    "cluster", "remember over HTTP, " + target.name(), "ms", remember, "MiniLM embedding included");
            Row recallRow = Row.of(
                    "cluster",
                    "recall over HTTP at " + MEMORIES + " memories, " + target.name(),
                    "ms",
                    recall,
                    "k=5, warm instance, query embedding included");
            if (singleRecall == 0) {
                singleRemember = remember.median();
                singleRecall = recall.median();
            } else {
                rememberRow = rememberRow.compared(remember.median() / singleRemember, "p50 / one Redis's");
                recallRow = recallRow.compared(recall.median() / singleRecall, "p50 / one Redis's");
            }
            rows.add(rememberRow);
            rows.add(recallRow);
        }
    }
}
