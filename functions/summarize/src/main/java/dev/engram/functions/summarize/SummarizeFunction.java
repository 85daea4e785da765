package dev.engram.functions.summarize;

import dev.engram.auth.Access;
import dev.engram.inference.models.Models;
import dev.engram.tasks.summarize.SummarizeRequest;
import dev.engram.tasks.summarize.SummarizeResponse;
import dev.engram.tasks.summarize.SummarizeTask;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code POST /summarize}: abstractive (the model writes) or extractive (key sentences, by embeddings) summaries. */
@ApplicationScoped
public class SummarizeFunction {
    private final SummarizeTask task;
    private final Access access;
    private final Models models;

    public SummarizeFunction(SummarizeTask task, Models models, Access access) {
        this.access = access;
        this.task = task;
        this.models = models;
    }

    /** Load the model while the server comes up; extractive summaries do not wait for it. */
    @Startup(Models.LOAD_FIRST)
    void loadModel() {
        models.startLoading();
    }

    @Funq
    public SummarizeResponse summarize(SummarizeRequest request) {
        return task.run(access.admit(request == null ? null : request.maxTokens(), "maxTokens"), request);
    }
}
