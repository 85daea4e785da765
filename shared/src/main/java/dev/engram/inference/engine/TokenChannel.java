package dev.engram.inference.engine;

import dev.engram.inference.FinishReason;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries one generation's tokens from the scheduler thread to the caller's thread, then how it
 * ended. The scheduler never waits on it: a slow reader only lets tokens pile up here, it never holds
 * back the other sequences of the batch.
 */
final class TokenChannel {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private int[] tokens = new int[64];
    private int written;
    private int read;
    private FinishReason finish;
    private RuntimeException failure;

    void put(int token) {
        lock.lock();
        try {
            if (written == tokens.length) {
                int[] grown = new int[Math.max(64, (written - read) * 2)];
                System.arraycopy(tokens, read, grown, 0, written - read);
                written -= read;
                read = 0;
                tokens = grown;
            }
            tokens[written++] = token;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    void finish(FinishReason reason) {
        lock.lock();
        try {
            if (finish == null && failure == null) {
                finish = reason;
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    void fail(RuntimeException error) {
        lock.lock();
        try {
            if (finish == null && failure == null) {
                failure = error;
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** What {@link #take} found: a token, or the end. */
    record Event(int token, FinishReason finish) {
        boolean isToken() {
            return finish == null;
        }
    }

    /**
     * The next token, or the end once every token is read; null when nothing came within
     * {@code timeoutNanos}. A failure is thrown here, on the caller's thread.
     */
    Event take(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long wait = timeoutNanos;
            while (read == written && finish == null && failure == null) {
                if (wait <= 0) {
                    return null;
                }
                wait = arrived.awaitNanos(wait);
            }
            if (read < written) {
                return new Event(tokens[read++], null);
            }
            if (failure != null) {
                throw failure;
            }
            return new Event(-1, finish);
        } finally {
            lock.unlock();
        }
    }
}
