package dev.engram.inference.engine;

import dev.engram.errors.UnavailableException;
import dev.engram.inference.FinishReason;
import dev.engram.inference.llama.Chunk;
import dev.engram.inference.llama.KvCache;
import dev.engram.inference.llama.KvPool;
import dev.engram.inference.llama.LlamaModel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Continuous batching: one thread owns the model and runs it step after step. Each step computes the
 * next token of every running sequence together (the weights stream from memory once for all of
 * them) plus a chunk of a newcomer's prompt, so new requests join between steps and finished ones
 * leave, and a long prompt never stops the others for long.
 *
 * <p>A request waits in a bounded queue until the batch has room and the key/value memory budget can
 * hold its whole prompt and answer; a full queue, a wait longer than the queue timeout or a deadline
 * that passes while waiting is answered with 503 instead.
 */
final class Scheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Scheduler.class);
    /** How often an idle scheduler looks at waiting requests' deadlines. */
    private static final long IDLE_PARK_NANOS = 20_000_000L;

    /** Scheduler limits; see InferenceConfig for their meaning. */
    record Limits(int maxBatch, int stepTokens, int queueSize, Duration queueTimeout) {}

    private final LlamaModel model;
    private final KvPool pool;
    private final Limits limits;
    private final int context;
    private final ConcurrentLinkedQueue<Sequence> submitted = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> exclusive = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    private volatile int batchSize;

    Scheduler(LlamaModel model, KvPool pool, Limits limits) {
        this.model = model;
        this.pool = pool;
        this.limits = limits;
        this.context = model.config().contextLength();
        this.thread = Thread.ofPlatform().daemon().name("engram-scheduler").start(this::loop);
    }

    /** Hands a sequence to the scheduler, or refuses it with 503 when the queue is full. */
    void submit(Sequence sequence) {
        if (closed) {
            throw new UnavailableException(
                    "inference_unavailable", "The engine is shutting down. Retry later.", Duration.ofSeconds(1));
        }
        if (queued.incrementAndGet() > limits.queueSize() + limits.maxBatch()) {
            queued.decrementAndGet();
            throw new UnavailableException(
                    "overloaded",
                    "The model is busy: the generation queue is full (" + limits.queueSize()
                            + " waiting). Retry later.",
                    limits.queueTimeout());
        }
        submitted.add(sequence);
        LockSupport.unpark(thread);
    }

    /** Runs {@code task} on the scheduler thread between two steps (it may use the model) and returns its result. */
    <T> T exclusive(Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        exclusive.add(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        LockSupport.unpark(thread);
        try {
            return result.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Requests waiting for a place in the batch. */
    int waiting() {
        return Math.max(0, queued.get() - batchSize);
    }

    /** Sequences in the batch now. */
    int batchSize() {
        return batchSize;
    }

    private void loop() {
        while (!closed) {
            try {
                Sequence s;
                while ((s = submitted.poll()) != null) {
                    waiting.add(s);
                }
                Runnable task;
                while ((task = exclusive.poll()) != null) {
                    task.run();
                }
                expireWaiting();
                admit();
                batchSize = running.size();
                if (running.isEmpty()) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                    continue;
                }
                step();
            } catch (Throwable t) {
                LOG.errorf(t, "A generation step failed; its sequences end with an error");
                failRunning(t);
            }
        }
        UnavailableException shutdown = new UnavailableException(
                "inference_unavailable", "The engine shut down. Retry later.", Duration.ofSeconds(1));
        running.forEach(s -> end(s, null, shutdown));
        waiting.forEach(s -> end(s, null, shutdown));
        running.clear();
        waiting.clear();
    }

    private void expireWaiting() {
        long now = System.nanoTime();
        for (Iterator<Sequence> it = waiting.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            RuntimeException refusal = null;
            if (s.abandoned || s.cancellation.isCancelled()) {
                it.remove();
                end(s, FinishReason.CANCELLED, null);
                continue;
            }
            if (s.cancellation.expired()) {
                refusal = new UnavailableException(
                        "deadline_exceeded",
                        "The request's deadline passed while it waited " + (now - s.submittedAt) / 1_000_000
                                + " ms for the model (engram.request.timeout). Retry later.",
                        limits.queueTimeout());
            } else if (now - s.submittedAt > limits.queueTimeout().toNanos()) {
                refusal = new UnavailableException(
                        "overloaded",
                        "The model is busy: waited " + limits.queueTimeout().toMillis()
                                + " ms without getting a place in the batch. Retry later.",
                        limits.queueTimeout());
            }
            if (refusal != null) {
                it.remove();
                end(s, null, refusal);
            }
        }
    }

    /** First come, first served: a request that does not fit yet holds the ones behind it back. */
    private void admit() {
        while (!waiting.isEmpty() && running.size() < limits.maxBatch()) {
            Sequence s = waiting.peek();
            KvCache cache = new KvCache(pool, model.config());
            if (!cache.ensure(s.positions(context))) {
                cache.close();
                if (running.isEmpty() && cache.pagesToGrow(s.positions(context)) * pool.pageBytes() > pool.budget()) {
                    waiting.poll();
                    end(
                            s,
                            null,
                            new UnavailableException(
                                    "kv_memory",
                                    "This request needs more key/value memory than the engine's "
                                            + "whole budget (engram.inference.kv-memory); send a shorter prompt or fewer maxTokens.",
                                    Duration.ofSeconds(1)));
                    continue;
                }
                return;
            }
            waiting.poll();
            s.cache = cache;
            s.admittedAt = System.nanoTime();
            running.add(s);
        }
    }

    private void step() {
        for (Iterator<Sequence> it = running.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            FinishReason interrupted = s.interrupted();
            if (interrupted != null) {
                it.remove();
                end(s, interrupted, null);
            }
        }
        if (running.isEmpty()) {
            return;
        }
        List<Chunk> chunks = new ArrayList<>(running.size());
        List<Sequence> owners = new ArrayList<>(running.size());
        int decoding = (int) running.stream().filter(s -> !s.inPrompt()).count();
        int budget = Math.max(1, limits.stepTokens() - decoding);
        for (Sequence s : running) {
            if (s.inPrompt()) {
                if (budget <= 0) {
                    continue;
                }
                Chunk chunk = s.nextChunk(budget);
                budget -= chunk.tokens().length;
                chunks.add(chunk);
            } else {
                chunks.add(s.nextChunk(0));
            }
            owners.add(s);
        }
        float[] logits = model.forward(chunks);
        int vocab = model.config().vocabSize();
        int row = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            Sequence s = owners.get(i);
            s.computed(chunk);
            if (chunk.logits() == 0) {
                continue;
            }
            FinishReason done = s.accept(logits, row * vocab, vocab, context);
            row++;
            if (done != null) {
                running.remove(s);
                end(s, done, null);
            }
        }
    }

    private void failRunning(Throwable t) {
        RuntimeException error = t instanceof RuntimeException r ? r : new IllegalStateException(t);
        running.forEach(s -> end(s, null, error));
        running.clear();
    }

    private void end(Sequence s, FinishReason reason, RuntimeException error) {
        if (s.cache != null) {
            s.cache.close();
        }
        queued.decrementAndGet();
        if (error != null) {
            s.channel.fail(error);
        } else {
            s.channel.finish(reason);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
