package dev.engram.testing;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests, run as a child process on a free loopback port with its own
 * data directory. It can be killed (SIGKILL) and started again on the same port and directory, so a
 * test can take Redis away and bring it back with its append-only file intact.
 *
 * <p>The binary is {@code redis-server} on the PATH, or the system property
 * {@value #BINARY_PROPERTY}. No client library is used: readiness is a raw RESP {@code PING}, and
 * {@link #call} sends one command the same way.
 */
public final class RedisServer implements AutoCloseable {
    public static final String BINARY_PROPERTY = "engram.test.redis-server";
    private static final long START_TIMEOUT_MS = 15_000;

    private final String binary = System.getProperty(BINARY_PROPERTY, "redis-server");
    private final boolean fsyncAlways;
    private final List<String> extraArgs;
    private final Path dir;
    private final int port;
    private final Thread reaper = new Thread(this::destroyNow, "engram-redis-server-reaper");
    private volatile Process process;

    /** Every write is fsynced before Redis answers, so a kill loses nothing that was acknowledged. */
    public RedisServer() {
        this(true);
    }

    public RedisServer(boolean fsyncAlways) {
        this(fsyncAlways, List.of());
    }

    /**
     * Fsyncs every write, like {@link #RedisServer()}, and adds {@code extraArgs} to the command line
     * (e.g. {@code --cluster-enabled yes}); relative file names in them land in {@link #dir()}.
     */
    public RedisServer(List<String> extraArgs) {
        this(true, extraArgs);
    }

    private RedisServer(boolean fsyncAlways, List<String> extraArgs) {
        this.fsyncAlways = fsyncAlways;
        this.extraArgs = List.copyOf(extraArgs);
        this.port = freePort();
        try {
            this.dir = Files.createTempDirectory("engram-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // A test JVM that exits without close() must not leave a redis-server behind.
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /** Starts it (or starts it again after stop/kill, same port, same data) and waits for PONG. */
    public synchronized RedisServer start() {
        if (running()) {
            return this;
        }
        List<String> command = new ArrayList<>(List.of(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--appendonly",
                "yes",
                "--appendfsync",
                fsyncAlways ? "always" : "everysec",
                "--save",
                "",
                "--daemonize",
                "no",
                "--loglevel",
                "notice",
                "--logfile",
                ""));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "Cannot run '" + binary + "': redis-server is not installed or not on the PATH. "
                            + "Install it (Debian: apt-get install redis-server) or point -D" + BINARY_PROPERTY
                            + " at the binary. (" + e.getMessage() + ")",
                    e);
        }
        awaitPong();
        return this;
    }

    /** A clean stop: SHUTDOWN (which fsyncs the AOF), then destroy if it does not exit in time. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            try {
                exchange("SHUTDOWN", "NOSAVE"); // no RDB; the AOF is already on disk
            } catch (IOException | IllegalStateException ignored) {
                // closed without an answer, as it should, or not answering: destroy below
            }
            waitFor(process, 10_000);
        }
        process = null;
    }

    /** SIGKILL, as a crash or a lost host would: no shutdown, connections drop at once. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitFor(process, 10_000);
        process = null;
    }

    /** SIGSTOP: the port stays open but nothing answers, as with a hung or partitioned server. */
    public synchronized void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (!running()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling redis-server", e);
        }
    }

    /** Empties every database (between tests that share one server and must not see each other's keys). */
    public synchronized void flushAll() {
        String answer = call("FLUSHALL");
        if (!answer.equals("OK")) {
            throw new IllegalStateException("FLUSHALL answered " + answer.strip());
        }
    }

    /**
     * Sends one command on a new connection and returns its whole reply as text: a simple string,
     * integer or bulk string as itself (a null as ""), an array as its elements one per line (nested
     * arrays flattened, an error inside one as its {@code -} line). For administration
     * ({@code CLUSTER NODES}, {@code INFO replication}, {@code ROLE}, {@code DBSIZE}); a command that
     * needs state of its connection (e.g. {@code WAIT}, {@code READONLY}) gains nothing from it.
     *
     * @throws IllegalStateException if the reply is an error (e.g. {@code MOVED}, {@code LOADING})
     * @throws UncheckedIOException if the server cannot be reached or closes the connection
     */
    public String call(String... args) {
        try {
            return exchange(args);
        } catch (IOException e) {
            throw new UncheckedIOException("redis-server on port " + port + ", " + args[0] + ": " + e.getMessage(), e);
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public Path dir() {
        return dir;
    }

    /** Stops it and deletes its data directory. */
    @Override
    public synchronized void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway; nothing is left to reap
        }
        deleteDir();
    }

    /** The shutdown hook: a JVM ended without close() (SIGTERM, System.exit) leaves neither process nor data. */
    private void destroyNow() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteDir();
    }

    private void deleteDir() {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path log() {
        return dir.resolve("redis.log");
    }

    private void awaitPong() {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        String last = "no answer";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + " on port " + port
                        + " before answering PING. Its log:\n" + logTail());
            }
            try {
                last = exchange("PING");
                if (last.equals("PONG")) {
                    return;
                }
            } catch (IOException | IllegalStateException e) {
                last = e.toString(); // not listening yet
            }
            sleep(50);
        }
        kill();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within "
                + START_TIMEOUT_MS + " ms (last: " + last.strip() + "). Its log:\n" + logTail());
    }

    private String exchange(String... args) throws IOException {
        StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            request.append('$')
                    .append(arg.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(arg)
                    .append("\r\n");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int type = in.read();
            if (type == '-') {
                throw new IllegalStateException(
                        "redis-server on port " + port + " answered " + args[0] + " with " + readLine(in));
            }
            StringBuilder reply = new StringBuilder();
            readReply(type, in, reply);
            return reply.toString();
        }
    }

    private static void readReply(int type, InputStream in, StringBuilder reply) throws IOException {
        if (type < 0) {
            throw new EOFException("connection closed before the reply");
        }
        String line = readLine(in);
        switch (type) {
            case '+', ':' -> reply.append(line);
            case '-' -> reply.append('-').append(line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length >= 0) {
                    byte[] bytes = in.readNBytes(length + 2); // and its CRLF
                    if (bytes.length < length + 2) {
                        throw new EOFException("connection closed inside a bulk string");
                    }
                    reply.append(new String(bytes, 0, length, StandardCharsets.UTF_8));
                }
            }
            case '*' -> {
                int count = Integer.parseInt(line);
                for (int i = 0; i < count; i++) {
                    if (i > 0) {
                        reply.append('\n');
                    }
                    readReply(in.read(), in, reply);
                }
            }
            default -> throw new IOException("not a RESP reply: " + (char) type + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed inside a reply line");
            }
            line.append((char) c);
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void waitFor(Process process, long millis) {
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(millis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for redis-server", e);
        }
    }
}
