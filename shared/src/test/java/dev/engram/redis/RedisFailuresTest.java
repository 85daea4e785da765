package dev.engram.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The failures the Vert.x Redis client really reports, classified: a connection that breaks under a
 * command — alone or inside a pipelined batch, whose failures arrive as one {@code ERR [i] cause}
 * ErrorType — is transient (503), while Redis's own error replies keep their meaning.
 */
class RedisFailuresTest {

    @Test
    void aBrokenConnectionInsideAPipelinedBatchIsTransientNotARedisError() {
        // the causes as RedisStandaloneConnection#batch writes them (an exception's toString(), seen in the logs of a
        // Redis kill)
        for (String cause : new String[] {
            "java.net.SocketException: Connection reset",
            "io.netty.channel.StacklessClosedChannelException",
            "CONNECTION_CLOSED",
            "io.vertx.core.impl.NoStackTraceThrowable: Connection is closed"
        }) {
            ErrorType batch = ErrorType.create("ERR [0] " + cause + System.lineSeparator() + "ERR [1] " + cause);
            assertThat(RedisFailures.connectionLevel(batch))
                    .as(batch.getMessage())
                    .isTrue();
            assertThat(RedisFailures.transientFailure(new CompletionException(batch)))
                    .as(batch.getMessage())
                    .isTrue();
        }
        // a batch whose connection broke while another batch's failure was being reported: the lines run together
        ErrorType nested = ErrorType.create(
                "ERR [1ERR [0] java.net.SocketException: Connection reset] java.net.SocketException: Connection reset");
        assertThat(RedisFailures.connectionLevel(nested))
                .as(nested.getMessage())
                .isTrue();
        // two reports run together without a line break (RedisRestartIT met it in a recall's cold load)
        ErrorType joined = ErrorType.create("ERR [1] io.netty.channel.StacklessClosedChannelException"
                + "ERR [0] io.netty.channel.StacklessClosedChannelException");
        assertThat(RedisFailures.connectionLevel(joined))
                .as(joined.getMessage())
                .isTrue();
    }

    @Test
    void aWaitThatReachedAMasterTurnedReplicaIsTransient() {
        // what ClusterFailoverTest met once in a CI run: the write's batch reached the old master after the failover
        ErrorType wait =
                ErrorType.create("ERR [1] WAIT cannot be used with replica instances. Please also note that since"
                        + " Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are"
                        + " just local and are not propagated.");
        assertThat(RedisFailures.connectionLevel(wait)).isFalse();
        assertThat(RedisFailures.transientFailure(new CompletionException(wait)))
                .as(wait.getMessage())
                .isTrue();
    }

    @Test
    void redisErrorRepliesInsideABatchKeepTheirMeaning() {
        ErrorType wrongType =
                ErrorType.create("ERR [0] WRONGTYPE Operation against a key holding the wrong kind of value");
        ErrorType unknown = ErrorType.create("ERR [2] unknown command 'NOPE', with args beginning with: ");
        ErrorType script =
                ErrorType.create("ERR [1] user_script:1: Script attempted to access nonexistent global variable 'x'");
        for (ErrorType error : new ErrorType[] {wrongType, unknown, script}) {
            assertThat(RedisFailures.connectionLevel(error))
                    .as(error.getMessage())
                    .isFalse();
            assertThat(RedisFailures.transientFailure(error))
                    .as(error.getMessage())
                    .isFalse();
        }
        assertThat(RedisFailures.transientFailure(
                        ErrorType.create("ERR [0] LOADING Redis is loading the dataset in memory")))
                .isTrue();
    }

    @Test
    void singleCommandFailures() {
        assertThat(RedisFailures.transientFailure(ErrorType.create("CONNECTION_CLOSED")))
                .isTrue();
        assertThat(RedisFailures.connectionLevel(ErrorType.create("CONNECTION_CLOSED")))
                .isTrue();
        assertThat(RedisFailures.transientFailure(ErrorType.create("LOADING Redis is loading the dataset in memory")))
                .isTrue();
        assertThat(RedisFailures.connectionLevel(ErrorType.create("LOADING Redis is loading the dataset in memory")))
                .isFalse();
        assertThat(RedisFailures.transientFailure(new ConnectException("Connection refused")))
                .isTrue();
        assertThat(RedisFailures.transientFailure(ErrorType.create("ERR Error running script")))
                .isFalse();
        assertThat(RedisFailures.notSent(new NoStackTraceThrowable("Connection is closed")))
                .isTrue();
        assertThat(RedisFailures.notSent(ErrorType.create("CONNECTION_CLOSED")))
                .as("in flight: may have run")
                .isFalse();
        assertThat(RedisFailures.notSent(new SocketException("Connection reset")))
                .isFalse();
    }
}
