package dev.engram.docs;

import dev.engram.auth.ApiKeys;
import dev.engram.testing.FunctionProcess;
import dev.engram.testing.RedisServer;
import dev.engram.testing.StartupLog;
import dev.engram.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged functions the examples call, each started on first use the way {@code infra/local/run.sh}
 * starts it (the project's stories260K model, one Redis, authentication off), plus {@code memory-auth}: the
 * memory function with the API keys of the security examples.
 */
final class Functions implements AutoCloseable {
    /** The keys the security examples send as $ACME_KEY, $GLOBEX_KEY and $OPS_KEY. */
    static final Map<String, String> KEYS = Map.of(
            "ACME_KEY", "acme-example-key", "GLOBEX_KEY", "globex-example-key", "OPS_KEY", "operator-example-key");
    /** What authentication-off prints on purpose at every start (docs/security.md). */
    private static final String AUTH_OFF = "AUTHENTICATION IS DISABLED";

    private final Path root;
    private final RedisServer redis;
    private final Path batchRoot;
    private final Map<String, FunctionProcess> running = new LinkedHashMap<>();
    /** How many lines each log had when its function was ready: the start-up part. */
    private final Map<String, Integer> startupLines = new HashMap<>();

    Functions(Path root, RedisServer redis, Path batchRoot) {
        this.root = root;
        this.redis = redis;
        this.batchRoot = batchRoot;
    }

    /** The function module that serves a path, as the docs' URLs name it. */
    static String serving(String path) {
        String name = path.replaceFirst("^/", "").replaceFirst("[/?].*", "");
        return switch (name) {
            case "generate", "v1" -> "generate";
            case "classify", "summarize", "translate" -> name;
            case "remember", "recall", "forget", "session-get", "session-delete", "tenant-erase" -> "memory";
            default -> {
                if (name.startsWith("batch-")) {
                    yield "batch";
                }
                throw new IllegalArgumentException("no function serves " + path + "; name one with function=...");
            }
        };
    }

    FunctionProcess get(String name) {
        return running.computeIfAbsent(name, this::start);
    }

    private FunctionProcess start(String name) {
        String module = name.equals("memory-auth") ? "memory" : name;
        Map<String, String> env = new HashMap<>(Map.of(
                "ENGRAM_MODEL_PATH", TestModels.stories260K().toString(),
                "ENGRAM_REDIS_URL", redis.uri(),
                "ENGRAM_BATCH_INPUT_ROOT", batchRoot.toString(),
                "ENGRAM_BATCH_OUTPUT_ROOT", batchRoot.toString()));
        if (name.equals("memory-auth")) {
            env.put(
                    "ENGRAM_AUTH_KEYS",
                    "acme:" + ApiKeys.hash(KEYS.get("ACME_KEY")) + ",globex:" + ApiKeys.hash(KEYS.get("GLOBEX_KEY")));
            env.put("ENGRAM_AUTH_ADMIN_KEYS", ApiKeys.hash(KEYS.get("OPS_KEY")));
        }
        Path jar = root.resolve("functions").resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        FunctionProcess started = FunctionProcess.start(jar, env);
        startupLines.put(name, StartupLog.lines(started.log()).size());
        return started;
    }

    /** WARN and ERROR lines each function logged until it was ready, other than the authentication-off notice. */
    List<String> startupProblems() {
        List<String> problems = new ArrayList<>();
        running.forEach((name, process) -> {
            List<String> startup = StartupLog.lines(process.log()).subList(0, startupLines.get(name));
            StartupLog.problems(startup).stream()
                    .filter(line -> !line.contains(AUTH_OFF))
                    .map(line -> name + ": " + line)
                    .forEach(problems::add);
        });
        return problems;
    }

    @Override
    public void close() {
        running.values().forEach(FunctionProcess::close);
        running.clear();
    }
}
