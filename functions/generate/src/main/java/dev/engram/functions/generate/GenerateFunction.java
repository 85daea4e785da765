package dev.engram.functions.generate;

import dev.engram.auth.Access;
import dev.engram.inference.models.Models;
import dev.engram.tasks.generate.GenerateRequest;
import dev.engram.tasks.generate.GenerateResponse;
import dev.engram.tasks.generate.GenerateTask;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code POST /generate}: free text generation. */
@ApplicationScoped
public class GenerateFunction {
    private final GenerateTask task;
    private final Access access;
    private final Models models;

    public GenerateFunction(GenerateTask task, Models models, Access access) {
        this.access = access;
        this.task = task;
        this.models = models;
    }

    /** Load the model while the server comes up; readiness turns green when it is in. */
    @Startup(Models.LOAD_FIRST)
    void loadModel() {
        models.startLoading();
    }

    @Funq
    public GenerateResponse generate(GenerateRequest request) {
        return task.run(access.admit(request == null ? null : request.maxTokens(), "maxTokens"), request);
    }
}
