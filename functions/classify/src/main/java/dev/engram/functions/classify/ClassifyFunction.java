package dev.engram.functions.classify;

import dev.engram.inference.Models;
import dev.engram.tasks.classify.ClassifyRequest;
import dev.engram.tasks.classify.ClassifyResponse;
import dev.engram.tasks.classify.ClassifyTask;
import dev.engram.memory.session.SessionKeys;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code POST /classify}: a text into one (or several) of a closed set of labels. */
@ApplicationScoped
public class ClassifyFunction {
    private final ClassifyTask task;
    private final Models models;

    public ClassifyFunction(ClassifyTask task, Models models) {
        this.task = task;
        this.models = models;
    }

    /** Load the model while the server comes up; readiness turns green when it is in. */
    @Startup
    void loadModel() {
        models.startLoading();
    }

    @Funq
    public ClassifyResponse classify(ClassifyRequest request) {
        return task.run(SessionKeys.DEFAULT_TENANT, request);
    }
}
