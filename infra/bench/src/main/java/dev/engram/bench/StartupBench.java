package dev.engram.bench;

import dev.engram.testing.FunctionProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Row 4: process start to the first successful request, as a scale-to-zero platform sees it, plain
 * and with a JDK AOT cache (JEP 483/514: classes loaded and linked ahead of time, recorded by one
 * training run of the same jar); and the resident memory after that first request.
 */
final class StartupBench {
    private final BenchOptions options;
    private final List<Row> rows;

    StartupBench(BenchOptions options, List<Row> rows) {
        this.options = options;
        this.rows = rows;
    }

    /** One function: {@code call} names the first request a platform would route to it. */
    record Target(String function, String call, Map<String, Object> body, Map<String, String> env) {}

    void run(Target target) throws Exception {
        Path jar = options.functionsDir().resolve(target.function()).resolve("target/quarkus-app/quarkus-run.jar");
        Path aotDir = Files.createTempDirectory("engram-bench-aot-");
        try {
            Path cache = aotDir.resolve(target.function() + ".aot");
            train(jar, target, cache);
            Stats plain = measure(jar, target, List.of(), "plain JVM");
            Stats aot = measure(jar, target, List.of("-XX:AOTCache=" + cache), "AOT cache");
            rows.add(Row.of("startup", target.function() + ": AOT / plain", "x", Stats.of(aot.median() / plain.median()),
                    "start-up time ratio"));
        } finally {
            BenchFiles.deleteTree(aotDir);
        }
    }

    private Stats measure(Path jar, Target target, List<String> jvm, String label) throws Exception {
        List<Double> millis = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        for (int i = 0; i < options.repeats(); i++) {
            long start = System.nanoTime();
            try (FunctionProcess process = FunctionProcess.launch(jar, target.env(), jvm)) {
                FunctionClient client = new FunctionClient(process.uri());
                long done = client.firstSuccess(target.call(), target.body(), Duration.ofSeconds(120), process::alive);
                millis.add((done - start) / 1e6);
                rss.add(residentMegabytes(process.pid()));
            }
        }
        String flags = "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx1g " + String.join(" ", jvm);
        Stats time = Stats.of(millis);
        rows.add(Row.of("startup", target.function() + ", " + label + ": start to first POST /" + target.call(), "ms", time, flags.strip()));
        rows.add(Row.of("startup", target.function() + ", " + label + ": RSS after the first request", "MB", Stats.of(rss), ""));
        return time;
    }

    /** The training run: serve a few requests, then a clean exit, at which the JVM writes the cache. */
    private static void train(Path jar, Target target, Path cache) throws Exception {
        try (FunctionProcess process = FunctionProcess.launch(jar, target.env(), List.of("-XX:AOTCacheOutput=" + cache))) {
            FunctionClient client = new FunctionClient(process.uri());
            client.firstSuccess(target.call(), target.body(), Duration.ofSeconds(120), process::alive);
            for (int i = 0; i < 5; i++) {
                client.call(target.call(), target.body());
            }
        }
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("The training run wrote no AOT cache at " + cache);
        }
    }

    static double residentMegabytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("No VmRSS for process " + pid);
    }
}
