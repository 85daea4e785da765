package dev.engram.bench;

import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.redis.RedisGateway;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.vertx.redis.client.Command;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisUri;

    /** Starts a redis-server of its own (fsync always, like infra/redis/redis.conf) for the run. */
    public static void main(String... args) {
        int[] exit = {0};
        try (RedisServer server = new RedisServer().start()) {
            System.setProperty("quarkus.redis.hosts", server.uri());
            Quarkus.run(Bench.class, (code, failure) -> {
                exit[0] = code;
                if (failure != null) {
                    failure.printStackTrace();
                }
            }, args);
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
        double bandwidth = bandwidth(options, rows);
        if (options.runs("decode") || options.runs("prefill") || options.runs("concurrency")) {
            inference(options, rows, bandwidth);
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
        if (options.runs("classify")) {
            progress("classify");
            try (FunctionProcess function = FunctionProcess.start(jar(options, "classify"),
                    Map.of("ENGRAM_MODEL_PATH", options.referenceModel().toString(), "ENGRAM_REDIS_URL", redisUri))) {
                new ClassifyBench(options, rows).run(new FunctionClient(function.uri()), options.referenceModel().getFileName().toString());
            }
        }
        if (options.runs("batch")) {
            batch(options, rows);
        }
        Report report = new Report(machine(options, (System.nanoTime() - start) / 1e9), rows);
        report.print(System.out);
        report.write(options.out());
        System.out.println("\nWritten to " + options.out());
        return 0;
    }

    private static double bandwidth(BenchOptions options, List<Row> rows) throws Exception {
        progress("memory bandwidth");
        Stats stats = Stats.of(BandwidthProbe.measure(options.quick() ? 1L << 29 : 1L << 30, options.quick() ? 3 : 5)
                .stream().map(b -> b / 1e9).toList());
        rows.add(Row.of("bandwidth", "memory read bandwidth (ceiling)", "GB/s", stats,
                Runtime.getRuntime().availableProcessors() + " threads, Vector API sum over " + (options.quick() ? "512 MiB" : "1 GiB")));
        return stats.median() * 1e9;
    }

    private void inference(BenchOptions options, List<Row> rows, double bandwidth) throws Exception {
        progress("preparing synthetic models in " + options.cacheDir());
        List<BenchModel> models = BenchModel.prepare(options);
        DecodeBench decode = new DecodeBench(options, rows);
        BenchModel main = models.stream().filter(m -> m.label().endsWith("Q4")).findFirst().orElse(models.getFirst());
        for (BenchModel model : models) {
            boolean isMain = model == main;
            progress("decode " + model.label() + ": engine");
            DecodeBench.EngineFigures engine = decode.engine(model, isMain && options.runs("prefill"), bandwidth);
            progress("decode " + model.label() + ": Jlama generate");
            decode.jlama(model, engine);
            progress("decode " + model.label() + ": POST /generate");
            try (FunctionProcess function = FunctionProcess.start(jar(options, "generate"),
                    Map.of("ENGRAM_MODEL_PATH", model.dir().toString()), List.of("-Xmx2g"))) {
                FunctionClient client = new FunctionClient(function.uri());
                decode.http(model, client, engine);
                if (isMain && options.runs("concurrency")) {
                    progress("concurrency " + model.label());
                    ConcurrencyBench.run(client, model.label(), Math.max(8, options.decodeTokens() / 4), options.repeats(), rows);
                }
            }
        }
    }

    private static void structured(BenchOptions options, List<Row> rows) {
        StructuredBench bench = new StructuredBench(options, rows);
        progress("structured: token masks");
        bench.masks();
        List<BenchModel> models = BenchModel.prepare(options);
        BenchModel main = models.stream().filter(m -> m.label().endsWith("Q4")).findFirst().orElse(models.getFirst());
        progress("structured: decode with a schema, " + main.label());
        bench.overhead(main);
    }

    private void startup(BenchOptions options, List<Row> rows) throws Exception {
        StartupBench bench = new StartupBench(options, rows);
        Map<String, String> env = Map.of("ENGRAM_MODEL_PATH", options.referenceModel().toString(), "ENGRAM_REDIS_URL", redisUri);
        progress("start-up: generate");
        bench.run(new StartupBench.Target("generate", "generate", Map.of("prompt", "Once upon a time", "maxTokens", 8), env));
        progress("start-up: memory");
        bench.run(new StartupBench.Target("memory", "session-delete", Map.of("sessionId", "startup"), env));
    }

    private void memory(BenchOptions options, List<Row> rows) throws Exception {
        MemoryBench bench = new MemoryBench(options, rows, redis);
        progress("memory: session overhead");
        try (FunctionProcess function = FunctionProcess.start(jar(options, "generate"),
                Map.of("ENGRAM_MODEL_PATH", options.referenceModel().toString(), "ENGRAM_REDIS_URL", redisUri))) {
            bench.sessionOverhead(new FunctionClient(function.uri()), options.referenceModel().getFileName().toString());
        }
        for (int count : options.quick() ? new int[] {1_000, 10_000} : new int[] {10_000, 100_000}) {
            progress("memory: recall at " + count);
            bench.recall(memory, embedder, count);
        }
        progress("memory: embeddings");
        bench.embeddings(embedder);
    }

    private void batch(BenchOptions options, List<Row> rows) throws Exception {
        Map<String, String> env = Map.of("ENGRAM_MODEL_PATH", options.referenceModel().toString(), "ENGRAM_REDIS_URL", redisUri,
                "ENGRAM_TRANSLATE_LANGUAGES", "en,de");
        BatchBench bench = new BatchBench(options, rows);
        try (FunctionProcess batch = FunctionProcess.start(jar(options, "batch"), env)) {
            FunctionClient batchClient = new FunctionClient(batch.uri());
            for (BatchBench.Workload workload : List.of(BatchBench.classify(), BatchBench.generate())) {
                progress("batch: " + workload.label());
                try (FunctionProcess direct = FunctionProcess.start(jar(options, workload.function()), env)) {
                    bench.run(workload, new FunctionClient(direct.uri()), batchClient);
                }
            }
        }
    }

    private Map<String, Object> machine(BenchOptions options, double seconds) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", Instant.now().toString());
        m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown"));
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", Runtime.version().toString());
        m.put("jvmFlags", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("backend", JlamaEngine.backend());
        m.put("redis", redis.execute(Command.INFO, "server").toString().lines().filter(l -> l.startsWith("redis_version"))
                .findFirst().orElse("?").strip());
        m.put("mode", (options.quick() ? "quick" : "full") + (options.tiny() ? ", tiny model" : "") + ", " + options.repeats()
                + " repeats, " + options.decodeTokens() + " decode tokens");
        m.put("seconds", Math.round(seconds));
        return m;
    }

    private static Path jar(BenchOptions options, String function) {
        return options.functionsDir().resolve(function).resolve("target/quarkus-app/quarkus-run.jar");
    }

    static void progress(String what) {
        System.err.println("[bench] " + what);
    }
}
