package dev.engram.bench;

import dev.engram.testing.FunctionProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Row 4: process start to the first successful request, as a scale-to-zero platform sees it, plain
 * and with a JDK AOT cache (JEP 483/514: classes loaded and linked ahead of time, recorded by one
 * training run of the same jar); and the resident memory after that first request. The plain rows start
 * the default packaging (fast-jar), the AOT rows Quarkus's aot-jar packaging as {@code -Paot} builds it,
 * which {@code run.sh} writes beside it into {@code target/quarkus-aot-app}.
 */
final class StartupBench {
    private final BenchOptions options;
    private final List<Row> rows;

    StartupBench(BenchOptions options, List<Row> rows) {
        this.options = options;
        this.rows = rows;
    }

    /** One packaged function: {@code call} names the first request a platform would route to it. */
    record Target(String name, Path jar, String call, Map<String, Object> body, Map<String, String> env) {}

    /** Medians of one target: start to first answer, plain and with the AOT cache, and RSS after it (MB). */
    record Result(double plainMillis, double aotMillis, double plainRss, double aotRss) {}

    Result run(Target target) throws Exception {
        Measured plain = measure(target, List.of(), "plain JVM", true);
        Measured aot = withAotCache(target, "AOT cache", true);
        rows.add(Row.of(
                "startup",
                target.name() + ": AOT / plain",
                "x",
                Stats.of(aot.millis() / plain.millis()),
                "start-up time ratio"));
        return new Result(plain.millis(), aot.millis(), plain.rss(), aot.rss());
    }

    /**
     * The minimal function with the AOT cache, started without the Vector API's incubator module, against
     * {@code with} (the same with it, as every Engram function starts): with an incubator module resolved
     * the JDK archives no module graph, and the cache loses what depends on it.
     */
    void withoutTheVectorApi(Target target, Result with) throws Exception {
        Measured without = withAotCache(target, "AOT cache, without the Vector API module", false);
        rows.add(Row.of(
                "startup",
                target.name() + ", AOT cache: with / without the Vector API module",
                "x",
                Stats.of(with.aotMillis() / without.millis()),
                "start to first answer; --add-modules jdk.incubator.vector"));
    }

    /** Starts of the target as {@code -Paot} packages it, from a cache a training run of it records first. */
    private Measured withAotCache(Target target, String label, boolean vectorApi) throws Exception {
        Path aotDir = Files.createTempDirectory("engram-bench-aot-");
        try {
            Path cache = aotDir.resolve("app.aot");
            Target aotJar = aotPackaging(target);
            train(aotJar, cache, vectorApi);
            return measure(aotJar, List.of("-XX:AOTCache=" + cache), label, vectorApi);
        } finally {
            BenchFiles.deleteTree(aotDir);
        }
    }

    private record Measured(double millis, double rss) {}

    /**
     * The target as {@code -Paot} packages it (aot-jar: the JDK's class loaders load every class, so the
     * cache can hold them all), or as it is where that package was not built (the smoke test's).
     */
    private static Target aotPackaging(Target target) {
        Path aotJar = target.jar().getParent().resolveSibling("quarkus-aot-app").resolve("quarkus-run.jar");
        if (!Files.isRegularFile(aotJar)) {
            System.err.println("No aot-jar package at " + aotJar + ": the AOT rows start " + target.jar());
            return target;
        }
        return new Target(target.name(), aotJar, target.call(), target.body(), target.env());
    }

    private Measured measure(Target target, List<String> jvm, String label, boolean vectorApi) throws Exception {
        List<Double> millis = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> boot = new ArrayList<>();
        List<Double> modelLoad = new ArrayList<>();
        List<Double> warmUp = new ArrayList<>();
        for (int i = 0; i < options.repeats(); i++) {
            long start = System.nanoTime();
            try (FunctionProcess process = FunctionProcess.launch(target.jar(), target.env(), jvm, vectorApi)) {
                FunctionClient client = new FunctionClient(process.uri());
                long done = client.firstSuccess(target.call(), target.body(), Duration.ofSeconds(120), process::alive);
                millis.add((done - start) / 1e6);
                rss.add(residentMegabytes(process.pid()));
                String log = Files.readString(process.log());
                figure(log, BOOT, 1000).ifPresent(boot::add);
                figure(log, MODEL_LOAD, 1).ifPresent(modelLoad::add);
                figure(log, WARM_UP, 1).ifPresent(warmUp::add);
            }
        }
        String flags = (vectorApi ? "--add-modules jdk.incubator.vector " : "")
                + "--enable-native-access=ALL-UNNAMED -Xmx1g " + String.join(" ", jvm) + " ("
                + target.jar().getParent().getFileName() + ")";
        String prefix = target.name() + ", " + label + ": ";
        Stats time = Stats.of(millis);
        Stats memory = Stats.of(rss);
        rows.add(Row.of("startup", prefix + "start to first POST /" + target.call(), "ms", time, flags.strip()));
        // The timeline: Quarkus's own start (JVM start to listening), the model's load and warm-up beside it
        // (in the background: requests that need no model are served meanwhile), the rest is the first request.
        timeline(prefix + "Quarkus start (its 'started in')", boot, "part of the row above");
        timeline(prefix + "model load (background thread)", modelLoad, "from the function's log");
        timeline(prefix + "model warm-up after the load (same thread)", warmUp, "engram.inference.warm-up-tokens");
        rows.add(Row.of("startup", prefix + "RSS after the first request", "MB", memory, ""));
        return new Measured(time.median(), memory.median());
    }

    private void timeline(String figure, List<Double> millis, String note) {
        if (!millis.isEmpty()) {
            rows.add(Row.of("startup", figure, "ms", Stats.of(millis), note));
        }
    }

    private static final Pattern BOOT = Pattern.compile("started in (\\d+\\.\\d+)s");
    private static final Pattern MODEL_LOAD = Pattern.compile("Loaded .* in (\\d+) ms");
    private static final Pattern WARM_UP = Pattern.compile("Warmed up in (\\d+) ms");

    private static Optional<Double> figure(String log, Pattern pattern, double scale) {
        Matcher matcher = pattern.matcher(log);
        return matcher.find() ? Optional.of(Double.parseDouble(matcher.group(1)) * scale) : Optional.empty();
    }

    /** The training run: serve a few requests, then a clean exit, at which the JVM writes the cache. */
    private static void train(Target target, Path cache, boolean vectorApi) throws Exception {
        try (FunctionProcess process =
                FunctionProcess.launch(target.jar(), target.env(), List.of("-XX:AOTCacheOutput=" + cache), vectorApi)) {
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
