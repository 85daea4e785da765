package dev.engram.functions.batch;

import dev.engram.batch.BatchEvents;
import dev.engram.batch.BatchJobRequest;
import dev.engram.batch.BatchJobs;
import dev.engram.batch.BatchRunner;
import dev.engram.batch.BatchStatus;
import dev.engram.batch.BatchSubmitRequest;
import dev.engram.batch.StorageObjectEvent;
import dev.engram.inference.Models;
import dev.engram.memory.session.SessionKeys;
import dev.engram.tasks.translate.Languages;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Batch jobs: JSONL in, JSONL out, each line run once by the generate / summarize / translate /
 * classify tasks in-process. {@code batch-submit} (HTTP, a CloudEvent, an SQS message) starts or
 * resumes a job, {@code batch-object} starts one on a storage object-finalized event,
 * {@code batch-status} and {@code batch-cancel} inspect and stop it.
 */
@ApplicationScoped
public class BatchFunction {
    private final BatchJobs jobs;
    private final BatchRunner runner;
    private final Models models;
    private final Languages languages;

    public BatchFunction(BatchJobs jobs, BatchRunner runner, Models models, Languages languages) {
        this.jobs = jobs;
        this.runner = runner;
        this.models = models;
        this.languages = languages;
    }

    /** Load the model and the language detector, then take up unfinished jobs (this instance's after a restart, others'). */
    @Startup
    void start() {
        models.startLoading();
        languages.startLoading();
        runner.startRunning();
    }

    @Funq("batch-submit")
    public BatchStatus submit(BatchSubmitRequest request) {
        return jobs.submit(SessionKeys.DEFAULT_TENANT, request, BatchEvents.currentEventId());
    }

    @Funq("batch-object")
    public BatchStatus object(StorageObjectEvent event) {
        return jobs.submitObject(SessionKeys.DEFAULT_TENANT, event, BatchEvents.currentEventId());
    }

    @Funq("batch-status")
    public BatchStatus status(BatchJobRequest request) {
        return jobs.status(SessionKeys.DEFAULT_TENANT, request == null ? null : request.jobId());
    }

    @Funq("batch-cancel")
    public BatchStatus cancel(BatchJobRequest request) {
        return jobs.cancel(SessionKeys.DEFAULT_TENANT, request == null ? null : request.jobId());
    }
}
