package dev.engram.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged function started as its own JVM, the way a platform starts an instance: for tests that
 * need a fresh process (scale-to-zero) or to kill one. Output goes to a log file beside the jar.
 */
public final class FunctionProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;
    /** A JVM that ends without close() (a test JVM killed, a benchmark stopped with Ctrl-C) must not leave the function running. */
    private final Thread reaper;

    private FunctionProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.reaper = new Thread(process::destroyForcibly, "engram-function-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts {@code jar} with {@code env} on a free port (or {@code env}'s PORT) and waits until it is ready. */
    public static FunctionProcess start(Path jar, Map<String, String> env) {
        return start(jar, env, List.of());
    }

    /** As {@link #start(Path, Map)}, with extra JVM options (they come last, so they win). */
    public static FunctionProcess start(Path jar, Map<String, String> env, List<String> jvmOptions) {
        FunctionProcess started = launch(jar, env, jvmOptions);
        started.awaitReady(Duration.ofSeconds(60));
        return started;
    }

    /** Starts {@code jar} on a free port and returns at once, for callers that time the start-up themselves. */
    public static FunctionProcess launch(Path jar, Map<String, String> env, List<String> jvmOptions) {
        return launch(jar, env, jvmOptions, true);
    }

    /**
     * As {@link #launch(Path, Map, List)}; without {@code vectorApi} the JVM does not resolve the Vector
     * API's incubator module (for a function that never uses it: what the module costs a start).
     */
    public static FunctionProcess launch(
            Path jar, Map<String, String> env, List<String> jvmOptions, boolean vectorApi) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No packaged function at " + jar + " (run the package phase first)");
        }
        // A given PORT restarts a function where it was (a backend that comes back at the same address).
        int port = env.containsKey("PORT") ? Integer.parseInt(env.get("PORT")) : freePort();
        Path log = jar.resolveSibling("process-" + port + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx1g"));
        if (vectorApi) {
            command.addAll(1, List.of("--add-modules", "jdk.incubator.vector"));
        }
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        if (!env.containsKey("ENGRAM_AUTH_KEYS") && !env.containsKey("ENGRAM_AUTH_ENABLED")) {
            // A packaged function runs with authentication on; callers that are not about it give no keys.
            builder.environment().put("ENGRAM_AUTH_ENABLED", "false");
        }
        builder.environment().put("PORT", Integer.toString(port));
        try {
            return new FunctionProcess(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Polls readiness until it answers 200; fails fast if the process exits. */
    public void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The function exited during start-up; see " + log);
            }
            try {
                HttpResponse<Void> ready = client.send(
                        HttpRequest.newBuilder(uri().resolve("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        close();
        throw new IllegalStateException("The function was not ready within " + timeout + "; see " + log);
    }

    /** SIGKILL, as a platform reclaiming an instance would. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway, on a process that has exited
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
