package dev.engram.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.errors.EngramException;
import dev.engram.errors.ErrorBody;
import dev.engram.errors.UnavailableException;
import dev.engram.observability.Observability;
import dev.engram.redis.RedisGateway;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Works on batch jobs in this instance: one worker thread per active job takes lines from the job's
 * consumer group, runs them and commits each result atomically; a ticker thread copies results into
 * the output files (under a lease, one writer per job), logs progress, finishes completed jobs and
 * looks for unfinished jobs every poll interval — its own after a restart, and other instances' (so
 * several instances share one job). Nothing runs before {@link #startRunning()} (called by the batch
 * function at start-up), so other function modules that link this library start no threads.
 */
@ApplicationScoped
public class BatchRunner implements JobQueue {
    private static final Logger LOG = Logger.getLogger(BatchRunner.class);
    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration IDLE = Duration.ofMillis(250);

    private final BatchStore store;
    private final BatchLines lines;
    private final BatchConfig config;
    private final ObjectMapper json;
    private final Observability observability;
    private final BatchJobs jobs;
    /** Names this instance's consumer in the groups and its sink leases; fresh for every start. */
    private final String consumer = "runner-" + ProcessHandle.current().pid() + "-"
            + UUID.randomUUID().toString().substring(0, 8);

    private final Map<String, ActiveJob> active = new ConcurrentHashMap<>();
    private ExecutorService workers;
    private ScheduledExecutorService ticker;
    private volatile boolean stopping;

    public BatchRunner(
            BatchStore store,
            BatchLines lines,
            BatchConfig config,
            ObjectMapper json,
            Observability observability,
            BatchJobs jobs) {
        this.observability = observability;
        this.jobs = jobs;
        this.store = store;
        this.lines = lines;
        this.config = config;
        this.json = json;
    }

    public String consumer() {
        return consumer;
    }

    /** Starts the threads (once) and the search for unfinished jobs. */
    public synchronized void startRunning() {
        if (!config.runnerEnabled() || ticker != null || stopping) {
            return;
        }
        workers = Executors.newFixedThreadPool(
                config.maxActiveJobs(),
                Thread.ofPlatform().name("engram-batch-worker-", 0).factory());
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("engram-batch-ticker").factory());
        ticker.scheduleWithFixedDelay(this::poll, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("Batch runner %s started", consumer);
    }

    @Override
    public void offer(BatchKeys keys) {
        if (ticker != null && !stopping) {
            ticker.execute(() -> activate(keys));
        }
    }

    @PreDestroy
    synchronized void stop() {
        stopping = true;
        if (ticker == null) {
            return;
        }
        ticker.shutdownNow();
        workers.shutdownNow();
        try {
            // a line in flight is not committed once stopping is set: another instance takes it after claim-idle
            if (!workers.awaitTermination(30, TimeUnit.SECONDS) || !ticker.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Batch threads did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll() {
        try {
            for (String member : store.unfinished()) {
                int slash = member.indexOf('/');
                if (slash > 0 && !active.containsKey(member)) {
                    activate(BatchKeys.of(member.substring(0, slash), member.substring(slash + 1)));
                }
            }
        } catch (UnavailableException e) {
            LOG.debugf("Batch poll: %s", e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "Batch poll failed");
        }
    }

    /** Runs on the ticker thread only, so the active map and the pool size agree. */
    private void activate(BatchKeys keys) {
        if (stopping || active.containsKey(keys.globalMember()) || active.size() >= config.maxActiveJobs()) {
            return;
        }
        Map<String, String> meta = store.meta(keys);
        String state = meta.get("state");
        boolean staleLoad = BatchStatus.LOADING.equals(state)
                && System.currentTimeMillis() - Long.parseLong(meta.getOrDefault("loadedAt", "0"))
                        > config.claimIdle().toMillis();
        if (!BatchStatus.RUNNING.equals(state) && !BatchStatus.LOADING.equals(state)) {
            // finished (or gone) but still listed: a crash between its move and the set's change
            store.markFinished(keys);
            String now = store.state(keys);
            if (BatchStatus.RUNNING.equals(now) || BatchStatus.LOADING.equals(now)) {
                store.markUnfinished(keys); // resumed meanwhile, its own add maybe before this removal
            }
            return;
        }
        if (!BatchStatus.RUNNING.equals(state) && !staleLoad) {
            return;
        }
        ActiveJob job = new ActiveJob(keys);
        job.lastLog = System.currentTimeMillis();
        active.put(keys.globalMember(), job);
        workers.execute(() -> work(job));
    }

    private void work(ActiveJob job) {
        BatchKeys keys = job.keys;
        try {
            while (!stopping) {
                try {
                    BatchStore.Claim claim =
                            store.claim(keys, consumer, config.claimIdle(), job.chunk(config.claimIdle()));
                    if (BatchStatus.LOADING.equals(claim.state())) {
                        loadOrFail(keys); // a submitter that died while copying the input
                        continue;
                    }
                    if (!BatchStatus.RUNNING.equals(claim.state())) {
                        return;
                    }
                    if (claim.lines().isEmpty()) {
                        Map<String, String> meta = store.meta(keys);
                        if (Long.parseLong(meta.getOrDefault("done", "0"))
                                >= Long.parseLong(meta.getOrDefault("total", "0"))) {
                            return;
                        }
                        Thread.sleep(IDLE); // the rest is held by other runners; a dead one's lines are claimed after
                        // claim-idle
                        continue;
                    }
                    if (!runClaimed(job, claim.lines())) {
                        return;
                    }
                } catch (UnavailableException e) {
                    if (stopping) {
                        return; // shutting down: waits for Redis were interrupted
                    }
                    LOG.warnf("Batch job %s waits for Redis: %s", keys.globalMember(), e.getMessage());
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf(e, "Batch worker for %s stopped", keys.globalMember());
        } finally {
            job.workerDone = true;
            finishSoon();
        }
    }

    /** Copies the input of a job whose submitter died mid-way; an input that can no longer be read fails the job. */
    private void loadOrFail(BatchKeys keys) {
        try {
            jobs.load(keys);
        } catch (UnavailableException e) {
            throw e;
        } catch (EngramException e) {
            LOG.warnf("Batch job %s failed: its input cannot be loaded (%s)", keys.globalMember(), e.code());
            jobs.fail(keys, e.body());
        }
    }

    /**
     * A step for every job now rather than at the next tick: a worker that ran out of lines leaves its
     * job's last results to copy and the job to complete, and a job's caller waits for that (up to a
     * tick, 200 ms, was 4 % of a 200-line classify job).
     */
    private void finishSoon() {
        try {
            if (!stopping) {
                ticker.execute(this::tick);
            }
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * Runs claimed lines in order. Each result's commit is sent without waiting: Redis syncs it to disk
     * while the next line runs, instead of the runner waiting for every sync (with {@code appendfsync
     * always} that wait was most of a cheap line's overhead). Before the next line starts, the job's
     * state is read, so a cancel still stops after the line in flight; the read goes out before the
     * commit, since a read queued behind a write is answered only after the write's sync. All commits
     * are acknowledged before the next claim; one that fails leaves its line pending, to be claimed
     * again after claim-idle and committed once. False when the worker should stop.
     */
    private boolean runClaimed(ActiveJob job, List<BatchStore.Line> claimed) throws JsonProcessingException {
        BatchKeys keys = job.keys;
        List<Supplier<Response>> commits = new ArrayList<>(claimed.size());
        List<String> outcomes = new ArrayList<>(claimed.size());
        int next = 0;
        try {
            while (next < claimed.size()) {
                BatchStore.Line line = claimed.get(next);
                long start = System.nanoTime();
                BatchResult result = lines.run(keys.tenant(), line.number(), line.fields(), config.maxLineBytes());
                if (result == null || stopping) {
                    return false; // interrupted mid-line: it stays pending for another runner
                }
                boolean goOn = next + 1 == claimed.size() || BatchStatus.RUNNING.equals(store.state(keys));
                commits.add(store.commitLater(
                        keys, consumer, line.entryId(), json.writeValueAsString(result), result.failed()));
                outcomes.add(result.failed() ? "error" : "ok");
                job.timed(System.nanoTime() - start);
                next++;
                if (!goOn) {
                    return false;
                }
            }
            return true;
        } finally {
            if (next < claimed.size() && !stopping) {
                // claimed but not run (cancelled, or the line failed): claimable again now, not after claim-idle
                store.release(keys, consumer, claimed.subList(next, claimed.size()), config.claimIdle());
            }
            for (int i = 0; i < commits.size(); i++) {
                commits.get(i).get();
                observability.batchLine(outcomes.get(i));
            }
        }
    }

    private void tick() {
        long now = System.currentTimeMillis();
        for (ActiveJob job : active.values()) {
            if (now < job.nextSinkAttempt) {
                continue;
            }
            try {
                step(job);
                job.sinkFailures = 0;
            } catch (UnavailableException e) {
                if (!RedisGateway.UNAVAILABLE.equals(e.code())) {
                    sinkFailed(job, e, e.getMessage());
                } else {
                    LOG.debugf("Batch sink waits for Redis: %s", e.getMessage());
                }
            } catch (UncheckedIOException e) {
                sinkFailed(job, e, BatchFiles.reason(e.getCause()));
            } catch (EngramException e) {
                sinkFailed(job, e, e.getMessage());
            } catch (RuntimeException e) {
                sinkFailed(job, e, e.getClass().getSimpleName());
            }
        }
    }

    /**
     * The output could not be written: tried again after 200 ms, 400 ms, 800 ms..., and after
     * {@code engram.batch.sink-attempts} failures in a row the job fails — a file that cannot be written
     * must not keep a job running, nor the ticker busy, for ever.
     */
    private void sinkFailed(ActiveJob job, RuntimeException e, String reason) {
        BatchKeys keys = job.keys;
        job.sinkFailures++;
        if (job.sinkFailures < config.sinkAttempts()) {
            LOG.warnf(
                    "Batch output of %s cannot be written (%s); try %d of %d",
                    keys.globalMember(), reason, job.sinkFailures, config.sinkAttempts());
            job.nextSinkAttempt = System.currentTimeMillis() + (TICK.toMillis() << Math.min(job.sinkFailures - 1, 10));
            return;
        }
        LOG.errorf(e, "Batch job %s failed: its output cannot be written", keys.globalMember());
        String output = store.meta(keys).getOrDefault("output", "");
        jobs.fail(keys, new ErrorBody("output_failed", "The output '" + output + "' cannot be written: " + reason));
        active.remove(keys.globalMember());
    }

    /** Copies new results if this instance holds the job's sink lease, logs progress, finishes the job. */
    private void step(ActiveJob job) {
        BatchKeys keys = job.keys;
        // the lease first, then the checkpoint: a checkpoint read before taking over could be older than the file
        boolean leased = store.lease(keys, consumer, lease());
        Map<String, String> meta = store.meta(keys);
        String state = meta.getOrDefault("state", "missing");
        if (BatchStatus.FAILED.equals(state)) {
            active.remove(keys.globalMember()); // failed here or elsewhere: its worker stops at its next claim
            return;
        }
        if (BatchStatus.LOADING.equals(state) && !job.workerDone) {
            return;
        }
        long now = System.currentTimeMillis();
        long written = Long.parseLong(meta.getOrDefault("written", "0"));
        long done = Long.parseLong(meta.getOrDefault("done", "0"));
        leased &= meta.containsKey("output");
        if (leased && written < done
                || leased && BatchStatus.RUNNING.equals(state) && !meta.containsKey("sinkOffset")) {
            written = BatchSink.copy(store, keys, consumer, BatchJobs.outputPath(meta), jobs.outputDir(keys), meta);
            if (written < 0) {
                return;
            }
        }
        if (now - job.lastLog >= config.progressInterval().toMillis()) {
            job.lastLog = now;
            BatchStatus status = BatchJobs.view(keys.jobId(), meta, now);
            LOG.infof(
                    "Batch job %s %s: %d/%d done (%d failed), %d written, %.2f lines/s%s",
                    keys.globalMember(),
                    state,
                    status.done(),
                    status.total(),
                    status.failed(),
                    written,
                    status.linesPerSecond(),
                    status.etaSeconds() == null ? "" : String.format(", about %.0f s left", status.etaSeconds()));
        }
        long total = Long.parseLong(meta.getOrDefault("total", "-1"));
        if (BatchStatus.RUNNING.equals(state) && leased && done == total && written == total) {
            meta.put("written", Long.toString(written)); // meta was read before this step's copy
            jobs.writeSummary(keys, meta, now);
            if (store.transition(
                    keys, BatchStatus.RUNNING, BatchStatus.COMPLETED, false, "finishedAt", Long.toString(now))) {
                store.expire(keys, config.retention());
                LOG.infof(
                        "Batch job %s completed: %d lines, %s failed, output %s",
                        keys.globalMember(), total, meta.getOrDefault("failed", "0"), meta.get("output"));
            }
            active.remove(keys.globalMember());
        } else if (!BatchStatus.RUNNING.equals(state)
                && !BatchStatus.LOADING.equals(state)
                && job.workerDone
                && (!leased || written >= done)) {
            active.remove(keys.globalMember()); // completed elsewhere, or cancelled with its results copied
        } else if (job.workerDone && done < total && !stopping) {
            active.remove(keys.globalMember()); // the worker gave up (logged): the next poll starts a fresh one
        }
    }

    /** Long enough to survive a slow tick, short enough that a crashed writer's job moves on soon. */
    private Duration lease() {
        Duration idle = config.claimIdle();
        return idle.compareTo(Duration.ofSeconds(10)) < 0
                ? (idle.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : idle)
                : Duration.ofSeconds(10);
    }
}
