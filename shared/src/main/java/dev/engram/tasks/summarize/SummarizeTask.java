package dev.engram.tasks.summarize;

import static dev.engram.tasks.Requests.range;
import static dev.engram.tasks.Requests.required;
import static dev.engram.tasks.Requests.text;

import dev.engram.errors.InvalidRequestException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.models.Models;
import dev.engram.memory.embedding.Embedders;
import dev.engram.memory.embedding.EmbeddingModel;
import dev.engram.memory.session.Session;
import dev.engram.observability.Calls;
import dev.engram.tasks.Requests;
import dev.engram.tasks.conversation.Conversations;
import dev.engram.tasks.conversation.MemoryReport;
import dev.engram.tasks.text.Sentence;
import dev.engram.tasks.text.Sentences;
import dev.engram.tasks.text.SessionText;
import dev.engram.tasks.text.Tally;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;

/**
 * Summaries: checks the request, then either picks sentences with the embedder (extractive: the
 * language model is never touched) or has the model write the summary, map-reducing texts longer than
 * its context (abstractive). With a {@code sessionId} the exchange is recorded in working memory.
 */
@ApplicationScoped
public class SummarizeTask {
    /** The call's deadline, span and request metrics (field-injected: the constructor stays the task's own). */
    @Inject
    Calls calls;

    static final int MAX_FOCUS_CHARS = 500;

    private final Models models;
    private final SummarizeConfig config;
    private final Conversations conversations;
    private final Instance<Embedders> embedders;

    public SummarizeTask(
            Models models, SummarizeConfig config, Conversations conversations, Instance<Embedders> embedders) {
        this.models = models;
        this.config = config;
        this.conversations = conversations;
        this.embedders = embedders;
    }

    public SummarizeResponse run(String tenant, SummarizeRequest request) {
        return calls.run("summarize", cancellation -> call(tenant, request, cancellation));
    }

    private SummarizeResponse call(String tenant, SummarizeRequest request, Cancellation cancellation) {
        Requests.body(request);
        String text = text(required(request.text(), "text"), "text");
        if (Requests.blank(text)) {
            throw new InvalidRequestException("empty_text", "'text' must contain some text to summarise");
        }
        Mode mode = choice(request.mode(), "mode", Mode.class, Mode.ABSTRACTIVE);
        SummaryStyle style = choice(request.style(), "style", SummaryStyle.class, SummaryStyle.PARAGRAPH);
        String focus = focus(request.focus());
        if (mode == Mode.EXTRACTIVE && request.maxTokens() != null) {
            throw new InvalidRequestException(
                    "invalid_option", "'maxTokens' applies to abstractive mode; extractive mode takes 'maxSentences'");
        }
        if (mode == Mode.ABSTRACTIVE && request.maxSentences() != null) {
            throw new InvalidRequestException(
                    "invalid_option", "'maxSentences' applies to extractive mode; abstractive mode takes 'maxTokens'");
        }
        range(request.maxSentences(), "maxSentences", 1, config.maxSentences());
        Session session = request.sessionId() == null ? null : conversations.open(tenant, request.sessionId());
        List<Sentence> sentences = Sentences.split(text);
        return mode == Mode.EXTRACTIVE
                ? extractive(text, sentences, request, style, focus, session, cancellation)
                : abstractive(text, sentences, request, style, focus, session, cancellation);
    }

    private SummarizeResponse extractive(
            String text,
            List<Sentence> sentences,
            SummarizeRequest request,
            SummaryStyle style,
            String focus,
            Session session,
            Cancellation cancellation) {
        if (sentences.size() > config.maxExtractiveSentences()) {
            throw new InvalidRequestException(
                    "too_long",
                    "'text' has " + sentences.size() + " sentences; extractive mode takes at most "
                            + config.maxExtractiveSentences() + " (engram.summarize.max-extractive-sentences)");
        }
        Tally tally = new Tally();
        // MiniLM whatever long-term memory uses: duplicate-similarity is calibrated on its scores
        int maxSentences = request.maxSentences() == null
                ? Math.min(config.defaultMaxSentences(), config.maxSentences())
                : request.maxSentences();
        List<Sentence> picked = new ExtractiveSummarizer(
                        embedders.get().get(EmbeddingModel.MINILM), config.duplicateSimilarity())
                .pick(sentences, maxSentences, focus);
        String summary = style.join(picked.stream().map(Sentence::text).toList());
        // Recording needs the model's tokenizer; without a session extractive mode never waits for the model.
        MemoryReport memory = session == null ? null : record(session, text, summary, models.get(), cancellation);
        return new SummarizeResponse(summary, "extractive", 0, null, tally.usage(), tally.timings(), null, memory);
    }

    private SummarizeResponse abstractive(
            String text,
            List<Sentence> sentences,
            SummarizeRequest request,
            SummaryStyle style,
            String focus,
            Session session,
            Cancellation cancellation) {
        LanguageModel model = models.get();
        int limit = AbstractiveSummarizer.maxTokensLimit(model);
        range(request.maxTokens(), "maxTokens", 1, limit);
        int maxTokens = request.maxTokens() == null ? Math.min(config.defaultMaxTokens(), limit) : request.maxTokens();
        Tally tally = new Tally();
        AbstractiveSummarizer summarizer =
                new AbstractiveSummarizer(model, maxTokens, style, focus, tally, cancellation);
        List<String> chunks = summarizer.chunks(sentences, config.maxChunks());
        if (chunks == null || chunks.size() > config.maxChunks()) {
            throw new InvalidRequestException(
                    "too_long",
                    "'text' needs " + (chunks == null ? "more than " + config.maxChunks() : chunks.size())
                            + " chunks of this model's context; the limit is " + config.maxChunks()
                            + " (engram.summarize.max-chunks)");
        }
        String summary = style.shape(summarizer.summarize(chunks));
        MemoryReport memory = session == null ? null : record(session, text, summary, model, cancellation);
        return new SummarizeResponse(
                summary,
                "abstractive",
                chunks.size(),
                model.name(),
                tally.usage(),
                tally.timings(),
                summarizer.steps(),
                memory);
    }

    private MemoryReport record(
            Session session, String text, String summary, LanguageModel model, Cancellation cancellation) {
        return conversations.record(
                session, SessionText.clip("Summarise: " + text, model), summary, model, cancellation);
    }

    private static String focus(String focus) {
        if (focus == null) {
            return null;
        }
        if (focus.isBlank() || focus.length() > MAX_FOCUS_CHARS) {
            throw new InvalidRequestException(
                    "invalid_focus",
                    "'focus' must be 1 to " + MAX_FOCUS_CHARS + " characters of text, got " + focus.length());
        }
        return focus.strip();
    }

    /** A lower-case enum name, or the default when absent; anything else is a 400 listing the choices. */
    static <E extends Enum<E>> E choice(String value, String field, Class<E> type, E fallback) {
        if (value == null) {
            return fallback;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(Locale.ROOT).equals(value)) {
                return constant;
            }
        }
        List<String> allowed = java.util.Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .toList();
        throw new InvalidRequestException(
                "invalid_" + field, "'" + field + "' must be one of " + allowed + ", got \"" + clipped(value) + "\"");
    }

    private static String clipped(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }

    enum Mode {
        ABSTRACTIVE,
        EXTRACTIVE
    }
}
