package dev.engram.bench;

import dev.engram.inference.gguf.GgmlType;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.embedding.EmbedderConfig;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.promotion.PromotionQueue;
import dev.engram.memory.session.SessionStore;
import dev.engram.redis.RedisGateway;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisCluster;
import dev.engram.testing.RedisServer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.vertx.redis.client.Command;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The benchmark harness: measures each row of the table against a baseline taken in the same run,
 * prints the table and writes the JSON result. Not a test: nothing here has a time limit.
 */
@QuarkusMain
public class Bench implements QuarkusApplication {

    @Inject
    LongTermMemory memory;

    @Inject
    Embedder embedder;

    @Inject
    RedisGateway redis;

    @Inject
    PromotionQueue promotions;

    @Inject
    SessionStore sessions;

    @Inject
    EmbedderConfig embedderConfig;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisUri;

    /**
     * Starts a redis-server of its own (fsync always, like infra/redis/redis.conf) for the run; with
     * {@link BandwidthProbe#APART} first, only measures the bandwidth, for a harness started before.
     */
    public static void main(String... args) throws Exception {
        if (args.length > 0 && args[0].equals(BandwidthProbe.APART)) {
            BandwidthProbe.printSamples(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        int[] exit = {0};
        try (RedisServer server = new RedisServer().start()) {
            System.setProperty("quarkus.redis.hosts", server.uri());
            Quarkus.run(
                    Bench.class,
                    (code, failure) -> {
                        exit[0] = code;
                        if (failure != null) {
                            failure.printStackTrace();
                        }
                    },
                    args);
        }
        System.exit(exit[0]);
    }

    @Override
    public int run(String... args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        List<Row> rows = new ArrayList<>();
        long start = System.nanoTime();
        BandwidthBench.Ceiling ceiling = BandwidthBench.run(options, rows);
        Optional<LlamaCpp> llama = options.llamaCpp().map(LlamaCpp::at);
        if (options.runs("decode") || options.runs("prefill") || options.runs("concurrency")) {
            inference(options, rows, ceiling, llama);
        }
        if (options.runs("structured")) {
            structured(options, rows);
        }
        if (options.runs("startup")) {
            startup(options, rows);
        }
        if (options.runs("memory")) {
            memory(options, rows);
        }
        if (options.runs("promotion")) {
            promotion(options, rows);
        }
        if (options.runs("recall-quality")) {
            new RecallQualityBench(rows, embedderConfig).run();
        }
        if (options.runs("classify")) {
            progress("classify");
            try (FunctionProcess function = FunctionProcess.start(
                    jar(options, "classify"),
                    Map.of("ENGRAM_MODEL_PATH", options.referenceModel().toString(), "ENGRAM_REDIS_URL", redisUri))) {
                new ClassifyBench(options, rows)
                        .run(
                                new FunctionClient(function.uri()),
                                options.referenceModel().getFileName().toString());
            }
        }
        if (options.runs("batch")) {
            batch(options, rows);
        }
        if (options.runs("cluster")) {
            progress("cluster: starting six redis-server processes");
            try (RedisCluster cluster = RedisCluster.start()) {
                new ClusterBench(options, rows)
                        .run(
                                jar(options, "generate"),
                                jar(options, "memory"),
                                ClusterBench.targets(redisUri, cluster.hosts()));
            }
        }
        Report report = new Report(machine(options, llama, (System.nanoTime() - start) / 1e9), rows);
        report.print(System.out);
        report.write(options.out());
        System.out.println("\nWritten to " + options.out());
        return 0;
    }

    private void inference(
            BenchOptions options, List<Row> rows, BandwidthBench.Ceiling ceiling, Optional<LlamaCpp> llama)
            throws Exception {
        progress("preparing synthetic models in " + options.cacheDir());
        List<BenchWeights> formats = BenchWeights.prepare(options);
        InferenceBench inference = new InferenceBench(options, rows, ceiling, llama);
        BenchWeights main = formats.getFirst();
        Map<BenchWeights, InferenceBench.EngineFigures> forJlama = new LinkedHashMap<>();
        for (BenchWeights weights : formats) {
            boolean isMain = weights == main;
            Optional<InferenceBench.EngineFigures> engine = inference.run(weights, isMain && options.runs("prefill"));
            Optional<Path> engineModel = EngineUnderTest.model(weights);
            if (engine.isEmpty() || engineModel.isEmpty()) {
                continue;
            }
            if (weights.jlamaDir().isPresent()) {
                forJlama.put(weights, engine.get());
            }
            progress("decode " + weights.label() + ": POST /generate");
            try (FunctionProcess function = FunctionProcess.start(
                    jar(options, "generate"),
                    Map.of("ENGRAM_MODEL_PATH", engineModel.get().toString()),
                    List.of("-Xmx2g"))) {
                FunctionClient client = new FunctionClient(function.uri());
                GenerateHttpBench.run(options, rows, weights, client, engine.get());
                if (isMain && options.runs("concurrency")) {
                    progress("concurrency " + weights.label());
                    int tokens = Math.max(8, options.decodeTokens() / 4);
                    ConcurrencyBench.Figures figures =
                            ConcurrencyBench.run(client, weights.label(), tokens, options.repeats(), rows);
                    if (llama.isPresent()) {
                        progress("concurrency " + weights.label() + ": llama.cpp, sequences together");
                        ConcurrencyBench.llamaCpp(
                                llama.get(), weights.gguf(), tokens, options.repeats(), figures, rows);
                    }
                    progress("concurrency " + weights.label() + ": one client, with and without batching");
                    try (FunctionProcess unbatched = FunctionProcess.start(
                            jar(options, "generate"),
                            Map.of(
                                    "ENGRAM_MODEL_PATH",
                                    engineModel.get().toString(),
                                    "ENGRAM_INFERENCE_MAX_BATCH",
                                    "1"),
                            List.of("-Xmx2g"))) {
                        ConcurrencyBench.batchingCost(
                                client, new FunctionClient(unbatched.uri()), tokens, options.repeats(), rows);
                    }
                }
            }
        }
        // Jlama goes last: its Vector API code, run in this JVM, leaves the JIT compiling the memory
        // accesses the engine shares with it less well (F32 decode ran about a third slower after it).
        for (Map.Entry<BenchWeights, InferenceBench.EngineFigures> e : forJlama.entrySet()) {
            new JlamaBaseline(options, rows)
                    .run(e.getKey(), e.getKey().jlamaDir().orElseThrow(), e.getValue());
        }
        if (llama.isPresent()) {
            String reference = options.referenceModel().getFileName().toString();
            inference.fixedCost(
                    reference + " F32",
                    BenchWeights.gguf(
                            options.referenceModel(),
                            options.cacheDir().resolve(reference + "-F32.gguf"),
                            GgmlType.F32));
        }
    }

    private static void structured(BenchOptions options, List<Row> rows) {
        StructuredBench bench = new StructuredBench(options, rows);
        progress("structured: token masks");
        bench.masks();
        BenchWeights main = BenchWeights.prepare(options).getFirst(); // Q4
        progress("structured: decode with a schema, " + main.label());
        bench.overhead(main);
    }

    private void startup(BenchOptions options, List<Row> rows) throws Exception {
        StartupBench bench = new StartupBench(options, rows);
        Map<String, String> env =
                Map.of("ENGRAM_MODEL_PATH", options.referenceModel().toString(), "ENGRAM_REDIS_URL", redisUri);
        progress("start-up: a minimal Funqy function (baseline)");
        Path baselineJar = options.functionsDir()
                .resolveSibling("infra/bench/baseline-function/target/quarkus-app/quarkus-run.jar");
        StartupBench.Target minimal = new StartupBench.Target(
                "minimal Funqy function", baselineJar, "echo", Map.of("text", "hello"), Map.of());
        StartupBench.Result baseline = bench.run(minimal);
        progress("start-up: a minimal Funqy function without the Vector API module");
        bench.withoutTheVectorApi(minimal, baseline);
        progress("start-up: generate");
        StartupBench.Result generate = bench.run(new StartupBench.Target(
                "generate",
                jar(options, "generate"),
                "generate",
                Map.of("prompt", "Once upon a time", "maxTokens", 8),
                env));
        progress("start-up: memory");
        StartupBench.Result memory = bench.run(new StartupBench.Target(
                "memory", jar(options, "memory"), "session-delete", Map.of("sessionId", "startup"), env));
        // Lower is better here: each ratio is the bound (or the baseline) over the figure, so 1 or more meets it.
        rows.add(Row.of(
                        "startup",
                        "generate, AOT cache: what Engram adds to a minimal function",
                        "ms",
                        Stats.of(generate.aotMillis() - baseline.aotMillis()),
                        "both started the same way")
                .compared(baseline.aotMillis() * 1.15 / generate.aotMillis(), "1.15 × minimal / generate (AOT)", 1.0));
        rows.add(Row.of(
                        "startup",
                        "generate, AOT cache: start to first answer within 1 s",
                        "ms",
                        Stats.of(generate.aotMillis()),
                        "")
                .compared(1000 / generate.aotMillis(), "1000 ms / figure", 1.0));
        rows.add(Row.of(
                        "startup",
                        "memory, AOT cache: start to first answer within 0.7 s",
                        "ms",
                        Stats.of(memory.aotMillis()),
                        "")
                .compared(700 / memory.aotMillis(), "700 ms / figure", 1.0));
        rows.add(Row.of("startup", "generate: RSS after the first request, AOT", "MB", Stats.of(generate.aotRss()), "")
                .compared(generate.plainRss() / generate.aotRss(), "plain / AOT (not higher: >= 1)", 1.0));
    }

    private void memory(BenchOptions options, List<Row> rows) throws Exception {
        MemoryBench bench = new MemoryBench(options, rows, redis);
        progress("memory: session overhead");
        try (FunctionProcess function = FunctionProcess.start(
                jar(options, "generate"),
                Map.of("ENGRAM_MODEL_PATH", options.referenceModel().toString(), "ENGRAM_REDIS_URL", redisUri))) {
            bench.sessionOverhead(
                    new FunctionClient(function.uri()),
                    options.referenceModel().getFileName().toString());
        }
        for (int count : options.quick() ? new int[] {1_000, 10_000} : new int[] {10_000, 100_000}) {
            progress("memory: recall at " + count);
            bench.recall(memory, embedder, count);
        }
        progress("memory: embeddings");
        bench.embeddings(embedder);
    }

    private void promotion(BenchOptions options, List<Row> rows) throws Exception {
        PromotionBench bench = new PromotionBench(options, rows);
        progress("promotion: a folding request's cost");
        bench.requestCost(memory, promotions, sessions);
        progress("promotion: worker throughput");
        try (FunctionProcess function = FunctionProcess.start(
                jar(options, "generate"),
                Map.of("ENGRAM_MODEL_PATH", options.referenceModel().toString(), "ENGRAM_REDIS_URL", redisUri))) {
            bench.throughput(
                    new FunctionClient(function.uri()),
                    promotions,
                    options.referenceModel().getFileName().toString());
        }
    }

    private void batch(BenchOptions options, List<Row> rows) throws Exception {
        Map<String, String> env = Map.of(
                "ENGRAM_MODEL_PATH",
                options.referenceModel().toString(),
                "ENGRAM_REDIS_URL",
                redisUri,
                "ENGRAM_TRANSLATE_LANGUAGES",
                "en,de");
        BatchBench bench = new BatchBench(options, rows);
        Map<String, String> batchEnv = new HashMap<>(env);
        batchEnv.putAll(bench.env());
        try (FunctionProcess batch = FunctionProcess.start(jar(options, "batch"), batchEnv)) {
            FunctionClient batchClient = new FunctionClient(batch.uri());
            for (BatchBench.Workload workload : List.of(BatchBench.classify(), BatchBench.generate())) {
                progress("batch: " + workload.label());
                try (FunctionProcess direct = FunctionProcess.start(jar(options, workload.function()), env)) {
                    bench.run(workload, new FunctionClient(direct.uri()), batchClient);
                }
            }
        }
    }

    private Map<String, Object> machine(BenchOptions options, Optional<LlamaCpp> llama, double seconds)
            throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("cpu", BandwidthBench.cpu());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", Runtime.version().toString());
        m.put("jvmFlags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("engine", EngineUnderTest.describe());
        m.put("vectorBits", BandwidthBench.vectorBits());
        m.put("llamaCpp", llama.map(l -> "node-llama-cpp " + l.version()).orElse("not run (--llama-cpp none)"));
        m.put(
                "redis",
                redis.execute(Command.INFO, "server")
                        .toString()
                        .lines()
                        .filter(l -> l.startsWith("redis_version"))
                        .findFirst()
                        .orElse("?")
                        .strip());
        m.put(
                "mode",
                (options.quick() ? "quick" : "full") + (options.tiny() ? ", tiny model" : "") + ", " + options.repeats()
                        + " repeats, " + options.decodeTokens() + " decode tokens");
        m.put("seconds", Math.round(seconds));
        return m;
    }

    private static Path jar(BenchOptions options, String function) {
        return options.functionsDir().resolve(function).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static final long STARTED = System.nanoTime();

    /** A step on stderr, with the seconds since the harness started (to see where a run's time goes). */
    static void progress(String what) {
        System.err.printf("[bench %4ds] %s%n", (System.nanoTime() - STARTED) / 1_000_000_000L, what);
    }
}
