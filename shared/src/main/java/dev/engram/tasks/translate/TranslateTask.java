package dev.engram.tasks.translate;

import static dev.engram.tasks.Requests.required;
import static dev.engram.tasks.Requests.text;

import dev.engram.errors.InvalidRequestException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.models.Models;
import dev.engram.memory.session.Session;
import dev.engram.observability.Calls;
import dev.engram.tasks.Requests;
import dev.engram.tasks.conversation.Conversations;
import dev.engram.tasks.conversation.MemoryReport;
import dev.engram.tasks.text.SessionText;
import dev.engram.tasks.text.Tally;
import dev.engram.tasks.translate.TranslateResponse.Segment;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Translation: checks the languages, detects the source language, returns the text unchanged when it
 * is already in the target language (no model call), otherwise translates it chunk by chunk keeping its
 * layout. With a {@code sessionId} the exchange is recorded in working memory.
 */
@ApplicationScoped
public class TranslateTask {
    /** The call's deadline, span and request metrics (field-injected: the constructor stays the task's own). */
    @Inject
    Calls calls;

    private final Models models;
    private final Languages languages;
    private final TranslateConfig config;
    private final Conversations conversations;

    public TranslateTask(Models models, Languages languages, TranslateConfig config, Conversations conversations) {
        this.models = models;
        this.languages = languages;
        this.config = config;
        this.conversations = conversations;
    }

    public TranslateResponse run(String tenant, TranslateRequest request) {
        return calls.run("translate", cancellation -> call(tenant, request, cancellation));
    }

    private TranslateResponse call(String tenant, TranslateRequest request, Cancellation cancellation) {
        Requests.body(request);
        String text = text(required(request.text(), "text"), "text");
        if (text.isBlank()) {
            throw new InvalidRequestException("empty_text", "'text' must contain some text to translate");
        }
        String target = languages.require(required(request.targetLanguage(), "targetLanguage"), "targetLanguage");
        String given =
                request.sourceLanguage() == null ? null : languages.require(request.sourceLanguage(), "sourceLanguage");
        Session session = request.sessionId() == null ? null : conversations.open(tenant, request.sessionId());
        Tally tally = new Tally();
        Detection detected = languages.detect(text);
        String source = given != null ? given : detected.language();

        if (target.equals(source)) {
            MemoryReport memory =
                    session == null ? null : record(session, target, text, text, models.get(), cancellation);
            return new TranslateResponse(
                    text,
                    source,
                    target,
                    detected.language(),
                    detected.confidence(),
                    0,
                    null,
                    tally.usage(),
                    tally.timings(),
                    memory,
                    Boolean.TRUE.equals(request.segments()) ? List.of() : null);
        }

        LanguageModel model = models.get();
        TranslationPrompts prompts = new TranslationPrompts(
                model.hasChatTemplate(), source == null ? null : Languages.name(source), Languages.name(target));
        Translator translator =
                new Translator(model, prompts, source == null ? Locale.ROOT : Locale.of(source), tally, cancellation);
        Lines lines = Lines.of(text);
        List<List<String>> plan = translator.plan(lines, config.maxChunks());
        int chunks = plan == null
                ? Integer.MAX_VALUE
                : plan.stream().mapToInt(List::size).sum();
        if (chunks > config.maxChunks()) {
            throw new InvalidRequestException(
                    "too_long",
                    "'text' needs more than " + config.maxChunks()
                            + " chunks (lines, and pieces of long lines) of this model's context (engram.translate.max-chunks)");
        }
        List<Segment> segments = new ArrayList<>();
        String translation = translator.translate(lines, plan, segments);
        MemoryReport memory = session == null ? null : record(session, target, text, translation, model, cancellation);
        return new TranslateResponse(
                translation,
                source,
                target,
                detected.language(),
                detected.confidence(),
                chunks,
                model.name(),
                tally.usage(),
                tally.timings(),
                memory,
                Boolean.TRUE.equals(request.segments()) ? segments : null);
    }

    private MemoryReport record(
            Session session,
            String target,
            String text,
            String translation,
            LanguageModel model,
            Cancellation cancellation) {
        return conversations.record(
                session,
                SessionText.clip("Translate into " + Languages.name(target) + ": " + text, model),
                SessionText.clip(translation, model),
                model,
                cancellation);
    }
}
