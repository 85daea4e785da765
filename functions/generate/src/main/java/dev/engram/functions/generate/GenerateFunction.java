package dev.engram.functions.generate;

import dev.engram.inference.Models;
import dev.engram.tasks.generate.GenerateRequest;
import dev.engram.tasks.generate.GenerateResponse;
import dev.engram.tasks.generate.GenerateTask;
import dev.engram.memory.session.SessionKeys;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code POST /generate}: free text generation. */
@ApplicationScoped
public class GenerateFunction {
    private final GenerateTask task;
    private final Models models;

    public GenerateFunction(GenerateTask task, Models models) {
        this.task = task;
        this.models = models;
    }

    /** Load the model while the server comes up; readiness turns green when it is in. */
    @Startup
    void loadModel() {
        models.startLoading();
    }

    @Funq
    public GenerateResponse generate(GenerateRequest request) {
        return task.run(SessionKeys.DEFAULT_TENANT, request);
    }
}
