package dev.engram.tasks.extraction;

import dev.engram.inference.Cancellation;
import dev.engram.inference.models.Models;
import dev.engram.memory.longterm.LongTermMemory;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.longterm.Promoted;
import dev.engram.memory.promotion.Promotion;
import dev.engram.memory.promotion.PromotionConfig;
import dev.engram.memory.promotion.PromotionQueue;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The memory worker: claims queued promotions ({@link PromotionQueue}), extracts their memories
 * ({@link Extractor}) and stores them with the entry's acknowledgement in one atomic step
 * ({@link LongTermMemory#rememberOnce}), so each entry is applied exactly once even when a worker is
 * killed at any instant (its claimed entries go to another worker after {@code claim-idle}). A failed
 * attempt is retried after a growing backoff, then dead-lettered. It runs either as a background loop
 * ({@link #startRunning()}, when {@code engram.memory.promotion.worker} is on) or one bounded
 * {@link #drain} per call (the {@code memory-promote} function, for platforms that freeze between calls).
 */
@ApplicationScoped
public class PromotionWorker {
    private static final Logger LOG = Logger.getLogger(PromotionWorker.class);

    private final PromotionQueue queue;
    private final Extractor extractor;
    private final LongTermMemory memory;
    private final Models models;
    private final PromotionConfig config;
    /** Names this instance's consumer in every tenant's group; fresh for every start. */
    private final String consumer = "worker-" + ProcessHandle.current().pid() + "-"
            + UUID.randomUUID().toString().substring(0, 8);

    private Thread loop;
    private volatile boolean stopping;

    public PromotionWorker(
            PromotionQueue queue, Extractor extractor, LongTermMemory memory, Models models, PromotionConfig config) {
        this.queue = queue;
        this.extractor = extractor;
        this.memory = memory;
        this.models = models;
        this.config = config;
    }

    /** Starts the background loop (once) when {@code engram.memory.promotion.worker} is on. */
    public synchronized void startRunning() {
        if (!config.worker() || loop != null || stopping) {
            return;
        }
        loop = Thread.ofPlatform().name("engram-memory-worker").daemon().start(this::run);
        LOG.infof("Memory worker %s started", consumer);
    }

    @PreDestroy
    synchronized void stop() {
        stopping = true;
        if (loop != null) {
            // an entry in flight is not committed after this: another worker takes it after claim-idle
            loop.interrupt();
            try {
                loop.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (!stopping) {
            try {
                if (drain(config.claimBatch() * 4, config.drainTime()).processed() == 0) {
                    Thread.sleep(config.pollInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Memory worker: %s; trying again in %s", e.getMessage(), config.pollInterval());
                try {
                    Thread.sleep(config.pollInterval());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /**
     * Processes at most {@code most} entries of every tenant with work, claiming no new ones after
     * {@code budget}; answers what it did.
     */
    public Drained drain(int most, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        int[] counts = new int[4];
        for (String tenant : queue.tenants()) {
            while (!stopping && sum(counts) < most && System.nanoTime() < deadline) {
                List<Promotion> claimed =
                        queue.claim(tenant, consumer, Math.min(config.claimBatch(), most - sum(counts)));
                if (claimed.isEmpty()) {
                    queue.forgetIfIdle(tenant);
                    break;
                }
                for (Promotion p : claimed) {
                    counts[process(tenant, p)]++;
                }
            }
        }
        return new Drained(counts[0], counts[1], counts[2], counts[3]);
    }

    /** 0 promoted, 1 done before, 2 failed and left for a retry, 3 dead-lettered. */
    private int process(String tenant, Promotion p) {
        try {
            Cancellation cancellation = Cancellation.within(config.claimIdle().dividedBy(2));
            List<NewMemory> memories = extractor.extract(
                    p, Strategy.verbatim.name().equals(p.strategy()) ? null : models.get(), cancellation);
            if (stopping) {
                return 2; // not committed: the entry stays claimed, another worker takes it after claim-idle
            }
            Promoted done = memory.rememberOnce(tenant, memories, queue.commit(tenant, p));
            LOG.debugf("Promotion %s of tenant %s: %s", p.entryId(), tenant, done);
            return done.again() ? 1 : 0;
        } catch (RuntimeException | LinkageError e) { // LinkageError: the embedding model's native code failed to load
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (queue.failed(tenant, consumer, p, error)) {
                LOG.warnf(
                        "Promotion %s of tenant %s failed %d times, moved to the dead letters: %s",
                        p.entryId(), tenant, p.attempt(), error);
                return 3;
            }
            LOG.infof(
                    "Promotion %s of tenant %s failed (attempt %d), retried later: %s",
                    p.entryId(), tenant, p.attempt(), error);
            return 2;
        }
    }

    private static int sum(int[] counts) {
        return counts[0] + counts[1] + counts[2] + counts[3];
    }
}
