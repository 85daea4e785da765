package dev.engram.functions.translate;

import dev.engram.auth.Access;
import dev.engram.inference.models.Models;
import dev.engram.tasks.translate.Languages;
import dev.engram.tasks.translate.TranslateRequest;
import dev.engram.tasks.translate.TranslateResponse;
import dev.engram.tasks.translate.TranslateTask;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code POST /translate}: text into another language, the source detected when not given. */
@ApplicationScoped
public class TranslateFunction {
    private final TranslateTask task;
    private final Access access;
    private final Models models;
    private final Languages languages;

    public TranslateFunction(TranslateTask task, Models models, Languages languages, Access access) {
        this.access = access;
        this.task = task;
        this.models = models;
        this.languages = languages;
    }

    /** Load the model and the language detector while the server comes up. */
    @Startup(Models.LOAD_FIRST)
    void load() {
        models.startLoading();
        languages.startLoading();
    }

    @Funq
    public TranslateResponse translate(TranslateRequest request) {
        return task.run(access.admit(), request);
    }
}
