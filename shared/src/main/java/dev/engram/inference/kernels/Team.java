package dev.engram.inference.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that runs one parallel step at a time, the calling thread included. A
 * forward pass is a few hundred short steps (one per matrix product); handing each to an executor
 * would cost a thread wake-up per step, so between steps the members spin for a short while and only
 * then park. Work is shared out in chunks taken from a counter, and the caller waits for the work,
 * not for the members: a member that the machine preempts holds nobody back.
 *
 * <p>One thread at a time may call {@link #forEach}; the engine's scheduler is that thread.
 */
public final class Team implements AutoCloseable {
    /** How long an idle member spins before it parks: longer than the serial gap between two steps. */
    private static final long SPIN_NANOS = 200_000;

    /** A body run over a range of work items. */
    @FunctionalInterface
    public interface Body {
        void run(int from, int to);
    }

    /** One step: what to run and its own counters, so a late member can never mix two steps. */
    private static final class Job {
        final Body body;
        final int items;
        final int chunk;
        final int members;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(Body body, int items, int chunk, int members) {
            this.body = body;
            this.items = items;
            this.chunk = chunk;
            this.members = members;
        }

        /**
         * Takes chunks until none is left. Chunks shrink as the work runs out (a share of what is left,
         * never less than {@code chunk}), so the members finish close together.
         */
        void work() {
            while (true) {
                int from = next.get();
                if (from >= items) {
                    return;
                }
                int size = Math.max(chunk, (items - from) / (2 * members) / chunk * chunk);
                int to = Math.min(items, from + size);
                if (!next.compareAndSet(from, to)) {
                    continue;
                }
                try {
                    body.run(from, to);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.addAndGet(to - from);
                }
            }
        }
    }

    private final int size;
    private final Thread[] members;
    private final AtomicIntegerArray parked;
    private volatile Job job;
    private volatile boolean closed;

    public Team(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a team has at least one member");
        }
        this.size = size;
        this.members = new Thread[size - 1];
        this.parked = new AtomicIntegerArray(size);
        for (int i = 0; i < members.length; i++) {
            int member = i + 1;
            members[i] =
                    Thread.ofPlatform().daemon().name("engram-kernel-" + member).start(() -> serve(member));
        }
    }

    public int size() {
        return size;
    }

    /**
     * Runs {@code body} over {@code [0, items)} in chunks of at least {@code chunk} items (the last may
     * be shorter) on every member, and returns when all are done. Chunks start at multiples of
     * {@code chunk}, so kernels can rely on aligned groups.
     */
    public void forEach(int items, int chunk, Body body) {
        if (items <= 0) {
            return;
        }
        if (size == 1 || items <= chunk) {
            body.run(0, items);
            return;
        }
        Job current = new Job(body, items, chunk, size);
        job = current;
        for (int i = 0; i < members.length; i++) {
            if (parked.get(i + 1) == 1) {
                LockSupport.unpark(members[i]);
            }
        }
        current.work();
        while (current.done.get() < items) {
            Thread.onSpinWait();
        }
        Throwable failed = current.failure;
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
    }

    private void serve(int member) {
        Job seen = null;
        while (true) {
            Job current = awaitJob(member, seen);
            if (closed) {
                return;
            }
            seen = current;
            current.work();
        }
    }

    private Job awaitJob(int member, Job seen) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (true) {
            Job current = job;
            if (current != seen || closed) {
                return current;
            }
            if (System.nanoTime() - spinUntil < 0) {
                Thread.onSpinWait();
                continue;
            }
            parked.set(member, 1);
            if (job == seen && !closed) {
                // The timeout only guards against a lost wake-up; the caller unparks on every step.
                LockSupport.parkNanos(this, 50_000_000L);
            }
            parked.set(member, 0);
            spinUntil = System.nanoTime() + SPIN_NANOS;
        }
    }

    /** Stops the members; they hold no resources, so this only ends their threads. */
    @Override
    public void close() {
        closed = true;
        for (Thread member : members) {
            LockSupport.unpark(member);
        }
        for (Thread member : members) {
            try {
                member.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
