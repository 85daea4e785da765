package dev.engram.functions.batch;

import dev.engram.auth.Access;
import dev.engram.batch.BatchEvents;
import dev.engram.batch.BatchJobRequest;
import dev.engram.batch.BatchJobs;
import dev.engram.batch.BatchRunner;
import dev.engram.batch.BatchStatus;
import dev.engram.batch.BatchSubmitRequest;
import dev.engram.batch.StorageObjectEvent;
import dev.engram.inference.models.Models;
import dev.engram.tasks.translate.Languages;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Batch jobs: JSONL in, JSONL out, each line run once by the generate / summarize / translate /
 * classify tasks in-process. {@code batch-submit} (HTTP, a CloudEvent, an SQS message) starts or
 * resumes a job, {@code batch-object} starts one on a storage object-finalized event,
 * {@code batch-status} and {@code batch-cancel} inspect and stop it. A job belongs to the caller's
 * tenant and runs its lines there; another tenant cannot see or stop it.
 */
@ApplicationScoped
public class BatchFunction {
    private final BatchJobs jobs;
    private final BatchRunner runner;
    private final Models models;
    private final Languages languages;
    private final Access access;

    public BatchFunction(BatchJobs jobs, BatchRunner runner, Models models, Languages languages, Access access) {
        this.access = access;
        this.jobs = jobs;
        this.runner = runner;
        this.models = models;
        this.languages = languages;
    }

    /** Load the model and the language detector while the server comes up. */
    @Startup(Models.LOAD_FIRST)
    void load() {
        models.startLoading();
        languages.startLoading();
    }

    /**
     * Then take up unfinished jobs (this instance's after a restart, others'). Not with the loads: the
     * runner's threads use beans that must not be created while the start-up is still creating others.
     */
    @Startup
    void run() {
        runner.startRunning();
    }

    @Funq("batch-submit")
    public BatchStatus submit(BatchSubmitRequest request) {
        return jobs.submit(access.admit(), request, BatchEvents.currentEventId());
    }

    @Funq("batch-object")
    public BatchStatus object(StorageObjectEvent event) {
        return jobs.submitObject(access.admit(), event, BatchEvents.currentEventId());
    }

    @Funq("batch-status")
    public BatchStatus status(BatchJobRequest request) {
        return jobs.status(access.admit(), request == null ? null : request.jobId());
    }

    @Funq("batch-cancel")
    public BatchStatus cancel(BatchJobRequest request) {
        return jobs.cancel(access.admit(), request == null ? null : request.jobId());
    }
}
