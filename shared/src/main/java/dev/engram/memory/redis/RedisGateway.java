package dev.engram.memory.redis;

import dev.engram.errors.UnavailableException;
import io.quarkus.arc.InactiveBeanException;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.impl.types.ErrorType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * The one way memory talks to Redis: runs commands and Lua scripts on the Quarkus Redis client
 * (blocking API; its pooled connections are re-opened by the client after Redis comes back, so no
 * restart is needed) and turns "Redis cannot serve this now" into a 503 the caller can retry.
 *
 * <p>Failures are split in two: Redis unreachable, timing out, or answering with a transient error
 * ({@code LOADING} after a restart, {@code BUSY}, {@code READONLY}, {@code OOM}...) is
 * {@code memory_unavailable}; any other error reply (a script or type error) is a bug and stays a 500.
 */
@ApplicationScoped
public class RedisGateway {
    private static final Logger LOG = Logger.getLogger(RedisGateway.class);
    public static final String UNAVAILABLE = "memory_unavailable";
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    // CONNECTION_CLOSED is not a Redis reply: the Vert.x client fails commands that were in flight when the
    // connection dropped (Redis killed mid-request) with it, as an ErrorType like a reply
    private static final Set<String> TRANSIENT_ERRORS = Set.of("LOADING", "BUSY", "MASTERDOWN", "READONLY", "MISCONF",
            "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "OOM", "CONNECTION_CLOSED");

    private final InjectableInstance<RedisDataSource> redis;
    /** Logged on the transitions only, so an outage is one warning, not one per request. */
    private final AtomicBoolean down = new AtomicBoolean();

    public RedisGateway(InjectableInstance<RedisDataSource> redis) {
        this.redis = redis;
    }

    /**
     * Runs a script by digest and, if Redis does not know it (first use, or Redis restarted and lost
     * its script cache), once more with its source: one round trip in the steady state.
     */
    public Response eval(LuaScript script, List<String> keys, List<String> args) {
        RedisDataSource ds = dataSource();
        try {
            Response response;
            try {
                response = ds.execute(Command.EVALSHA, evalArgs(script.sha1(), keys, args));
            } catch (RuntimeException e) {
                ErrorType error = redisError(e);
                if (error == null || !error.is("NOSCRIPT")) {
                    throw e;
                }
                response = ds.execute(Command.EVAL, evalArgs(script.source(), keys, args));
            }
            up();
            return response;
        } catch (RuntimeException e) {
            throw translate(e, script.name());
        }
    }

    /** One plain command. */
    public Response execute(Command command, String... args) {
        RedisDataSource ds = dataSource();
        try {
            Response response = ds.execute(command, args);
            up();
            return response;
        } catch (RuntimeException e) {
            throw translate(e, command.toString());
        }
    }

    /**
     * One command whose arguments may be binary ({@code byte[]}, sent as-is) or text: vectors are
     * stored as raw float32 bytes, which the String-only blocking API would mangle.
     */
    public Response send(Command command, List<?> args) {
        RedisDataSource ds = dataSource();
        try {
            Response response = ds.getReactive().getRedis().send(request(command, args)).await().atMost(commandTimeout());
            up();
            return response;
        } catch (RuntimeException e) {
            throw translate(e, command.toString());
        }
    }

    /**
     * Many commands at once, their replies in order: pipelined in batches of {@code perBatch}, the
     * batches sent together over the client's pooled connections. What a cold instance needs to read
     * dozens of large values in a few round trips instead of one each (a long Lua script would block
     * Redis instead). Not atomic: the caller checks versions itself.
     */
    public List<Response> sendAll(List<Command> commands, List<List<?>> args, int perBatch) {
        RedisDataSource ds = dataSource();
        try {
            List<io.smallrye.mutiny.Uni<List<Response>>> batches = new ArrayList<>();
            for (int from = 0; from < commands.size(); from += perBatch) {
                List<io.vertx.mutiny.redis.client.Request> batch = new ArrayList<>();
                for (int i = from; i < Math.min(commands.size(), from + perBatch); i++) {
                    batch.add(request(commands.get(i), args.get(i)));
                }
                batches.add(ds.getReactive().getRedis().batch(batch));
            }
            List<Response> out = new ArrayList<>(commands.size());
            if (!batches.isEmpty()) {
                io.smallrye.mutiny.Uni.join().all(batches).andFailFast().await().atMost(commandTimeout()).forEach(out::addAll);
            }
            up();
            return out;
        } catch (RuntimeException e) {
            throw translate(e, commands.isEmpty() ? "an empty batch" : "a batch of " + commands.getFirst());
        }
    }

    private static io.vertx.mutiny.redis.client.Request request(Command command, List<?> args) {
        io.vertx.redis.client.Request request = io.vertx.redis.client.Request.cmd(command);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                request.arg(bytes);
            } else {
                request.arg(String.valueOf(arg));
            }
        }
        return io.vertx.mutiny.redis.client.Request.newInstance(request);
    }

    /** {@link #eval} with binary-capable arguments (see {@link #send}). */
    public Response evalBinary(LuaScript script, List<String> keys, List<?> args) {
        List<Object> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(script.sha1());
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        try {
            return send(Command.EVALSHA, all);
        } catch (IllegalStateException e) {
            ErrorType error = redisError(e);
            if (error == null || !error.is("NOSCRIPT")) {
                throw e;
            }
            all.set(0, script.source());
            return send(Command.EVAL, all);
        }
    }

    /** The blocking API's own bound (quarkus.redis.timeout, 10 s by default) for {@link #send}. */
    private static Duration commandTimeout() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.redis.timeout", Duration.class).orElse(Duration.ofSeconds(10));
    }

    private RedisDataSource dataSource() {
        try {
            return redis.getActive();
        } catch (InactiveBeanException e) {
            throw new UnavailableException(UNAVAILABLE,
                    "Working memory is not configured: set quarkus.redis.hosts (ENGRAM_REDIS_URL) to a Redis URL", RETRY_AFTER, e);
        }
    }

    private static String[] evalArgs(String script, List<String> keys, List<String> args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(script);
        all.add(Integer.toString(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    private RuntimeException translate(RuntimeException e, String what) {
        ErrorType error = redisError(e);
        if (error != null && !TRANSIENT_ERRORS.contains(errorKind(error))) {
            return new IllegalStateException("Redis rejected " + what + ": " + error, e);
        }
        String message = "Working memory is unavailable: Redis at " + where()
                + (error != null && errorKind(error).equals("CONNECTION_CLOSED") ? " closed the connection"
                        : error != null ? " answered " + error.getMessage()
                        : timedOut(e) ? " did not answer in time" : " cannot be reached");
        if (down.compareAndSet(false, true)) {
            LOG.warnf("%s (%s)", message, rootMessage(e));
        }
        return new UnavailableException(UNAVAILABLE, message, RETRY_AFTER, e);
    }

    private void up() {
        if (down.compareAndSet(true, false)) {
            LOG.infof("Redis at %s answers again", where());
        }
    }

    /** Redis's own error replies arrive as a checked ErrorType, usually wrapped by the blocking API. */
    private static ErrorType redisError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ErrorType error) {
                return error;
            }
        }
        return null;
    }

    /** The blocking client gives up after quarkus.redis.timeout: a hung or partitioned Redis. */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The error reply's first word: "LOADING Redis is loading the dataset in memory" is LOADING. */
    private static String errorKind(ErrorType error) {
        String message = String.valueOf(error.getMessage());
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** host:port only: the configured URL may carry a password. */
    private static String where() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.redis.hosts", String.class)
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
