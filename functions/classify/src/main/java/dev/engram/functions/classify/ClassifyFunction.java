package dev.engram.functions.classify;

import dev.engram.auth.Access;
import dev.engram.inference.models.Models;
import dev.engram.tasks.classify.ClassifyRequest;
import dev.engram.tasks.classify.ClassifyResponse;
import dev.engram.tasks.classify.ClassifyTask;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code POST /classify}: a text into one (or several) of a closed set of labels. */
@ApplicationScoped
public class ClassifyFunction {
    private final ClassifyTask task;
    private final Access access;
    private final Models models;

    public ClassifyFunction(ClassifyTask task, Models models, Access access) {
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
    public ClassifyResponse classify(ClassifyRequest request) {
        return task.run(access.admit(), request);
    }
}
