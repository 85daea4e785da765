package dev.engram.redis;

import dev.engram.errors.UnavailableException;
import io.quarkus.arc.InactiveBeanException;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.core.Future;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.impl.PooledRedisConnection;
import io.vertx.redis.client.impl.types.ErrorType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The one way Engram talks to Redis (memory, batch jobs, rate limits, readiness): runs commands and
 * Lua scripts on the Quarkus Redis client (the pooled Vert.x client under its data source, awaited by
 * the calling worker thread; its connections are re-opened by the client after Redis comes back, so no
 * restart is needed) and turns "Redis cannot serve this now" into a 503 the caller can retry.
 *
 * <p>Failures are split in two ({@link RedisFailures}): Redis unreachable, timing out, the connection
 * closed or reset under a command (also inside a pipelined batch), or a transient error reply
 * ({@code LOADING} after a restart, {@code BUSY}, {@code READONLY}, {@code OOM}...) is
 * {@code memory_unavailable}; any other error reply (a script or type error) is a bug and stays a 500.
 */
@ApplicationScoped
public class RedisGateway {
    private static final Logger LOG = Logger.getLogger(RedisGateway.class);
    public static final String UNAVAILABLE = "memory_unavailable";
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** The shared connection as handed out, with the slot it was opened for: a failure drops exactly this one. */
    private record Shared(CompletableFuture<RedisConnection> slot, RedisConnection connection) {}

    /** A command refused before it was written, on a connection that had closed: {@link #sendLater} sends it again. */
    private static final class NotSent extends RuntimeException {
        NotSent(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private final InjectableInstance<RedisDataSource> redis;
    private final RedisConfig config;
    /** The blocking bound on one command, the data source's own (quarkus.redis.timeout, 10 s by default). */
    private final Duration commandTimeout;

    private volatile Redis client;
    private final AtomicReference<CompletableFuture<RedisConnection>> shared = new AtomicReference<>();
    /** Logged on the transitions only, so an outage is one warning, not one per request. */
    private final AtomicBoolean down = new AtomicBoolean();

    public RedisGateway(InjectableInstance<RedisDataSource> redis, RedisConfig config) {
        this.redis = redis;
        this.config = config;
        this.commandTimeout = ConfigProvider.getConfig()
                .getOptionalValue("quarkus.redis.timeout", Duration.class)
                .orElse(Duration.ofSeconds(10));
    }

    /**
     * Runs a script by digest and, if Redis does not know it (first use, or Redis restarted and lost
     * its script cache), once more with its source: one round trip in the steady state. Arguments may
     * be binary ({@code byte[]}, sent as-is) or text.
     */
    public Response eval(LuaScript script, List<String> keys, List<?> args) {
        return evalLater(script, keys, args).get();
    }

    /**
     * {@link #eval} that returns at once, like {@link #sendLater}: for a write whose reply (with
     * {@code appendfsync always}, after Redis synced it to disk) the caller can wait for later.
     */
    public Supplier<Response> evalLater(LuaScript script, List<String> keys, List<?> args) {
        List<Object> all = scriptArgs(script, keys, args);
        Supplier<Response> reply = sendLater(Command.EVALSHA, all);
        return () -> {
            try {
                return reply.get();
            } catch (IllegalStateException e) {
                ErrorType error = RedisFailures.reply(e);
                if (error == null || !error.is("NOSCRIPT")) {
                    throw e;
                }
                all.set(0, script.source());
                return send(Command.EVAL, all);
            }
        };
    }

    /**
     * {@link #eval} for a write the caller acknowledges: with {@code engram.redis.wait-replicas} above 0,
     * the script and a {@code WAIT} go in one batch on one pooled connection (on a cluster, to the
     * master of the script's keys) — never on the shared connection, which {@code WAIT} would block for
     * everyone — and fewer confirmations than asked become a 503.
     */
    public Response write(LuaScript script, List<String> keys, List<?> args) {
        if (config.waitReplicas() == 0) {
            return eval(script, keys, args);
        }
        List<Object> all = scriptArgs(script, keys, args);
        List<io.vertx.redis.client.Response> replies;
        try {
            replies = replicated(Command.EVALSHA, all, script.name());
        } catch (IllegalStateException e) {
            if (!String.valueOf(RedisFailures.reply(e)).contains("NOSCRIPT")) {
                throw e;
            }
            all.set(0, script.source());
            replies = replicated(Command.EVAL, all, script.name());
        }
        long confirmed = replies.get(1).toLong();
        if (confirmed < config.waitReplicas()) {
            throw new UnavailableException(
                    UNAVAILABLE,
                    "Working memory is unavailable: " + confirmed + " of "
                            + config.waitReplicas() + " Redis replicas confirmed the write in "
                            + config.waitTimeout().toMillis()
                            + " ms (engram.redis.wait-replicas)",
                    RETRY_AFTER,
                    null);
        }
        return Response.newInstance(replies.getFirst());
    }

    private List<io.vertx.redis.client.Response> replicated(Command command, List<Object> args, String what) {
        Request wait = Request.cmd(Command.WAIT)
                .arg(config.waitReplicas())
                .arg(config.waitTimeout().toMillis());
        return awaitRaw(client().batch(List.of(request(command, args), wait)).toCompletionStage(), what);
    }

    private static List<Object> scriptArgs(LuaScript script, List<String> keys, List<?> args) {
        List<Object> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(script.sha1());
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        return all;
    }

    /** One plain command. */
    public Response execute(Command command, String... args) {
        return send(command, List.of(args));
    }

    /**
     * One command whose arguments may be binary ({@code byte[]}, sent as-is) or text: vectors are
     * stored as raw bytes, which a String-only API would mangle.
     *
     * <p>Sent on the {@link #connection shared connection} and awaited here. Measured in a running
     * function on loopback, one command took 0.45–0.6 ms through the blocking data source or the
     * pooled Vert.x client (borrowing and returning a connection are hand-offs between threads too)
     * and 0.2–0.35 ms on one open connection — for a session request, whose two commands are its
     * whole memory cost, that was most of the overhead.
     */
    public Response send(Command command, List<?> args) {
        return sendLater(command, args).get();
    }

    /**
     * {@link #send} that returns at once: the command is on its way, and the supplier waits for the
     * answer. Lets a caller overlap a round trip with its own CPU work (recall checks the index version
     * while the query embeds). A command the client refused unsent because the connection had already
     * closed goes once more on a fresh connection: nothing was written, so nothing can happen twice.
     */
    public Supplier<Response> sendLater(Command command, List<?> args) {
        Shared first = connection();
        Future<io.vertx.redis.client.Response> reply = first.connection().send(request(command, args));
        return () -> {
            try {
                return await(first, reply, command);
            } catch (NotSent e) {
                Shared fresh = connection();
                try {
                    return await(fresh, fresh.connection().send(request(command, args)), command);
                } catch (NotSent again) {
                    throw translate(again.getCause(), command.toString());
                }
            }
        };
    }

    /**
     * Many commands at once, their replies in order: pipelined in batches of {@code perBatch}, the
     * batches sent together over the client's pooled connections. What a cold instance needs to read
     * dozens of large values in a few round trips instead of one each (a long Lua script would block
     * Redis instead). Not atomic: the caller checks versions itself.
     */
    public List<Response> sendAll(List<Command> commands, List<List<?>> args, int perBatch) {
        if (commands.isEmpty()) {
            return List.of();
        }
        Redis client = client();
        List<Future<List<io.vertx.redis.client.Response>>> batches = new ArrayList<>();
        for (int from = 0; from < commands.size(); from += perBatch) {
            List<Request> batch = new ArrayList<>();
            for (int i = from; i < Math.min(commands.size(), from + perBatch); i++) {
                batch.add(request(commands.get(i), args.get(i)));
            }
            batches.add(client.batch(batch));
        }
        List<Response> out = new ArrayList<>(commands.size());
        for (Future<List<io.vertx.redis.client.Response>> batch : batches) {
            for (io.vertx.redis.client.Response reply :
                    awaitRaw(batch.toCompletionStage(), "a batch of " + commands.getFirst())) {
                out.add(Response.newInstance(reply));
            }
        }
        return out;
    }

    /**
     * The connection single commands share: Redis answers one connection's commands in order, and the
     * Vert.x connection pipelines the senders' commands over it, so one is enough for short commands
     * (no command here blocks). Bulk reads ({@link #sendAll}) use the pool instead, so that a cold
     * instance's megabytes never queue in front of a session's read.
     *
     * <p>A connection is dropped when it reports its end, and also whenever a command on it fails at
     * the connection level or times out: the pool can hand out a connection whose socket closed before
     * the handlers here were registered (Redis killed just then), and such a connection reports nothing
     * ever again — keeping it would answer 503 for as long as the function lives. The next command
     * opens a new one.
     */
    private Shared connection() {
        CompletableFuture<RedisConnection> current = shared.get();
        if (current == null || current.isCompletedExceptionally()) {
            CompletableFuture<RedisConnection> fresh = new CompletableFuture<>();
            if (shared.compareAndSet(current, fresh)) {
                client().connect().onComplete(opened -> {
                    if (opened.failed()) {
                        fresh.completeExceptionally(opened.cause());
                        return;
                    }
                    RedisConnection c = opened.result();
                    Shared handle = new Shared(fresh, c);
                    c.exceptionHandler(e -> drop(handle, false));
                    c.endHandler(v -> drop(handle, false));
                    fresh.complete(c);
                });
            }
            current = shared.get();
            if (current == null) {
                return connection(); // dropped between the two reads: open another
            }
        }
        try {
            return new Shared(current, awaitRaw(current, "connect"));
        } catch (UnavailableException e) {
            if (shared.compareAndSet(current, null)) {
                current.thenAccept(RedisConnection::close); // a connect given up on may still succeed: back to the pool
            }
            throw e;
        }
    }

    /**
     * Forgets this shared connection (if it is still the shared one) and lets it go: a live one back to
     * the pool, a hung one (a command timed out on it; a Redis behind a partition may never close it)
     * closed for good, so that neither this class nor the pool sends on it again.
     */
    private void drop(Shared broken, boolean hung) {
        if (!shared.compareAndSet(broken.slot(), null)) {
            return;
        }
        if (hung && broken.connection() instanceof PooledRedisConnection pooled) {
            pooled.actual().forceClose();
        } else {
            broken.connection().close();
        }
    }

    /** The reply on the shared connection; a connection-level failure or a timeout drops the connection first. */
    private Response await(Shared on, Future<io.vertx.redis.client.Response> reply, Command command) {
        try {
            io.vertx.redis.client.Response value =
                    reply.toCompletionStage().toCompletableFuture().get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
            up();
            return Response.newInstance(value);
        } catch (ExecutionException e) {
            if (RedisFailures.connectionLevel(e.getCause())) {
                drop(on, false);
            }
            if (RedisFailures.notSent(e.getCause())) {
                throw new NotSent(e.getCause());
            }
            throw translate(e.getCause(), command.toString());
        } catch (TimeoutException e) {
            drop(on, true);
            throw translate(e, command.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException(UNAVAILABLE, "Interrupted while waiting for Redis", RETRY_AFTER, e);
        }
    }

    private <T> T awaitRaw(CompletionStage<T> reply, String what) {
        try {
            T value = reply.toCompletableFuture().get(commandTimeout.toNanos(), TimeUnit.NANOSECONDS);
            up();
            return value;
        } catch (ExecutionException e) {
            throw translate(e.getCause(), what);
        } catch (TimeoutException e) {
            throw translate(e, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException(UNAVAILABLE, "Interrupted while waiting for Redis", RETRY_AFTER, e);
        }
    }

    private static Request request(Command command, List<?> args) {
        Request request = Request.cmd(command);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                request.arg(bytes);
            } else {
                request.arg(String.valueOf(arg));
            }
        }
        return request;
    }

    /** The Vert.x client under the configured data source, looked up once (the lookup costs ~35 µs). */
    private Redis client() {
        Redis c = client;
        if (c == null) {
            try {
                client = c = redis.getActive().getReactive().getRedis().getDelegate();
            } catch (InactiveBeanException e) {
                throw new UnavailableException(
                        UNAVAILABLE,
                        "Working memory is not configured: set quarkus.redis.hosts (ENGRAM_REDIS_URL) to a Redis URL",
                        RETRY_AFTER,
                        e);
            }
        }
        return c;
    }

    private RuntimeException translate(Throwable e, String what) {
        if (!RedisFailures.transientFailure(e)) {
            return new IllegalStateException("Redis rejected " + what + ": " + RedisFailures.reply(e), e);
        }
        ErrorType error = RedisFailures.reply(e);
        String message = "Working memory is unavailable: Redis at " + where()
                + (RedisFailures.connectionLevel(e)
                        ? (RedisFailures.timedOut(e)
                                ? " did not answer in time"
                                : error != null || RedisFailures.notSent(e)
                                        ? " closed the connection"
                                        : " cannot be reached")
                        : " answered " + error.getMessage());
        if (down.compareAndSet(false, true)) {
            LOG.warnf("%s (%s)", message, RedisFailures.rootMessage(e));
        }
        return new UnavailableException(UNAVAILABLE, message, RETRY_AFTER, e);
    }

    private void up() {
        if (down.compareAndSet(true, false)) {
            LOG.infof("Redis at %s answers again", where());
        }
    }

    /** host:port only: the configured URL may carry a password. */
    private static String where() {
        return ConfigProvider.getConfig()
                .getOptionalValue("quarkus.redis.hosts", String.class)
                .map(hosts -> hosts.split(",")[0].trim())
                .map(RedisGateway::hostAndPort)
                .orElse("(not configured)");
    }

    private static String hostAndPort(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() == null ? url : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "(unparseable quarkus.redis.hosts)";
        }
    }
}
