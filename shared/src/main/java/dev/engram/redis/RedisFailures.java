package dev.engram.redis;

import io.vertx.redis.client.impl.types.ErrorType;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * What a failed Redis command means: an error reply Redis sent (a script or type error is a bug; a
 * {@code LOADING} after a restart is not), or the connection failing under it — refused, reset, closed
 * while the command was in flight, or closed before it was sent. Only the first kind of non-transient
 * error may become a 500: everything at the connection level is "Redis cannot serve this now".
 */
final class RedisFailures {
    /**
     * Error replies that mean "not now". CONNECTION_CLOSED is not a Redis reply: the Vert.x client fails
     * commands that were in flight when the connection dropped with it, as an ErrorType like a reply.
     */
    private static final Set<String> TRANSIENT_REPLIES = Set.of(
            "LOADING",
            "BUSY",
            "MASTERDOWN",
            "READONLY",
            "MISCONF",
            "TRYAGAIN",
            "CLUSTERDOWN",
            "NOREPLICAS",
            "OOM",
            "CONNECTION_CLOSED");
    /**
     * A pipelined batch reports its failures as one ErrorType of lines {@code ERR [<index>] <cause>}, the
     * cause being the reply without its "ERR " or, for a broken connection, the exception's
     * {@code toString()} ({@code java.net.SocketException: Connection reset},
     * {@code io.netty.channel.StacklessClosedChannelException}). Found anywhere in the message, not
     * only at line starts, and ended by a ']' or the next report too: a report can nest another one
     * ({@code ERR [1ERR [0] java.net.SocketException: Connection reset] ...}) or run into it without a
     * line break ({@code ERR [1] io.netty...ExceptionERR [0] io.netty...Exception}).
     */
    private static final Pattern BATCH_LINE = Pattern.compile("ERR \\[\\d+] (.*?)(?=ERR \\[\\d|[\\]\\r\\n]|$)");
    /**
     * Redis's plain-ERR answer to {@code WAIT} on a node that is a replica: in a failover the batch of a
     * write and its {@code WAIT} can reach the old master just after it became a replica. The write's
     * fate is then unknown, like a write cut by a broken connection: "not now", never a 500.
     */
    private static final String NOW_A_REPLICA = "cannot be used with replica instances";
    /** An exception's {@code toString()}: a qualified class name, then nothing or ": message". */
    private static final Pattern EXCEPTION = Pattern.compile("^[a-z_][\\w$]*(\\.[\\w$]+)+(:.*)?$");
    /** The client's answer to a command on a connection it already knows is closed: nothing was written. */
    private static final String NOT_SENT = "Connection is closed";

    private RedisFailures() {}

    /** Redis's own error reply in the chain (usually wrapped by the blocking API), or null. */
    static ErrorType reply(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ErrorType error) {
                return error;
            }
        }
        return null;
    }

    /** The connection failed (or was never there): anything that is not an error reply Redis sent. */
    static boolean connectionLevel(Throwable e) {
        ErrorType error = reply(e);
        if (error == null) {
            return true;
        }
        if (kind(error.getMessage()).equals("CONNECTION_CLOSED")) {
            return true;
        }
        var lines = BATCH_LINE.matcher(String.valueOf(error.getMessage()));
        while (lines.find()) {
            String cause = lines.group(1);
            if (EXCEPTION.matcher(cause).matches() || kind(cause).equals("CONNECTION_CLOSED")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the caller may simply retry later: the connection failed, or Redis said "not now". */
    static boolean transientFailure(Throwable e) {
        if (connectionLevel(e)) {
            return true;
        }
        String message = String.valueOf(reply(e).getMessage());
        if (TRANSIENT_REPLIES.contains(kind(message)) || message.contains(NOW_A_REPLICA)) {
            return true;
        }
        var lines = BATCH_LINE.matcher(message);
        while (lines.find()) {
            if (TRANSIENT_REPLIES.contains(kind(lines.group(1)))) {
                return true;
            }
        }
        return false;
    }

    /** The command was refused before it was written (the connection was already closed): safe to send again. */
    static boolean notSent(Throwable e) {
        return reply(e) == null && e != null && NOT_SENT.equals(e.getMessage());
    }

    /** The blocking wait gave up after quarkus.redis.timeout: a hung or partitioned Redis. */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The error reply's first word: "LOADING Redis is loading the dataset in memory" is LOADING. */
    static String kind(String message) {
        String text = String.valueOf(message);
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
