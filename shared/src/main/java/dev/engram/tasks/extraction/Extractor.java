package dev.engram.tasks.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.inference.Cancellation;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import dev.engram.inference.structured.ResponseFormat;
import dev.engram.memory.MemoryConfig;
import dev.engram.memory.longterm.MemorySource;
import dev.engram.memory.longterm.NewMemory;
import dev.engram.memory.promotion.Promotion;
import dev.engram.memory.promotion.PromotionConfig;
import dev.engram.memory.session.Turn;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns queued for promotion become the memories their strategy asks for. {@code verbatim} keeps each
 * exchange as it was; the others ask the model for a JSON document (a summary, or typed facts) through
 * the structured decoding, so the document parses whatever the model writes. Each memory carries tags:
 * {@code kind:<summary|semantic|preference|episodic|exchange>}, and {@code topic:<slug>} /
 * {@code entity:<slug>} for the topics and entities the model named (recall filters by them). An
 * episodic fact's time is kept in its text. A document the model could not finish within
 * {@code extraction-tokens} is a failed attempt ({@link ExtractionFailed}).
 */
@ApplicationScoped
public class Extractor {
    private static final int MAX_LABEL = 48;

    private final MemoryConfig memoryConfig;
    private final PromotionConfig config;

    public Extractor(MemoryConfig memoryConfig, PromotionConfig config) {
        this.memoryConfig = memoryConfig;
        this.config = config;
    }

    /** The memories of {@code p}; the model is asked only by the strategies that need it. */
    public List<NewMemory> extract(Promotion p, LanguageModel model, Cancellation cancellation) {
        Strategy strategy = Strategy.parse(p.strategy(), "strategy");
        if (strategy == Strategy.verbatim) {
            return exchanges(p.turns(), p.sessionId(), p.userId(), memoryConfig.maxTextChars());
        }
        String instruction = switch (strategy) {
            case summary -> "Summarise this conversation in one or two sentences, keeping names, facts and decisions.";
            case discrete ->
                "List the facts worth remembering: about the user or the world (semantic), the user's preferences"
                        + " (preference), events with their time (episodic).";
            case preferences -> "List the user's preferences stated in this conversation.";
            default -> p.instruction();
        };
        ResponseFormat format = switch (strategy) {
            case summary -> ExtractionSchemas.SUMMARY;
            case preferences -> ExtractionSchemas.PREFERENCES;
            default -> ExtractionSchemas.DISCRETE;
        };
        JsonNode doc = generate(p, model, instruction, format, cancellation);
        // Facts about the user outlive the session they came from: with a user, they are scoped to the user alone.
        String sessionId = strategy == Strategy.summary || p.userId() == null ? p.sessionId() : null;
        List<NewMemory> out = new ArrayList<>();
        if (strategy == Strategy.summary) {
            add(
                    out,
                    doc.path("summary").asText(),
                    List.of("kind:summary"),
                    doc.path("topics"),
                    null,
                    sessionId,
                    p.userId());
            return out;
        }
        for (JsonNode fact : doc.path("memories")) {
            String type = fact.path("type").asText();
            String text = fact.path("text").asText().strip();
            String time = fact.path("time").asText().strip();
            if ("episodic".equals(type) && !time.isEmpty()) {
                text = text + " (" + time + ")";
            }
            add(out, text, List.of("kind:" + type), fact.path("topics"), fact.path("entities"), sessionId, p.userId());
        }
        return out;
    }

    private JsonNode generate(
            Promotion p, LanguageModel model, String instruction, ResponseFormat format, Cancellation cancellation) {
        // The document gets up to three quarters of the context; the transcript's oldest lines give way first.
        int reserve = Math.min(config.extractionTokens(), model.contextLength() * 3 / 4);
        String transcript = fitting(transcript(p.turns()), instruction, model, model.contextLength() - reserve - 16);
        Prompt prompt = model.hasChatTemplate()
                ? Prompt.of(instruction + " Answer in JSON.", transcript)
                : Prompt.of(transcript + instruction
                        + "\nJSON:"); // a chat prompt, so a remote server gets its chat surface
        int maxTokens = Math.min(
                config.extractionTokens(), model.contextLength() - model.countTokens(model.render(prompt)) - 8);
        // Seeded by the entry and the attempt: a retry samples a different document.
        Sampling sampling = new Sampling(0.8f, 0.95f, 0, p.entryId().hashCode() * 31L + p.attempt());
        GenerationResult result = model.generate(
                new GenerationRequest(prompt, sampling, maxTokens, null, cancellation).withFormat(format), t -> {});
        if (result.finishReason() != FinishReason.STOP || !format.complete(result.text())) {
            throw new ExtractionFailed("the model's JSON was not complete within " + maxTokens + " tokens (finish: "
                    + result.finishReason() + ")");
        }
        try {
            return ExtractionSchemas.parse(result.text());
        } catch (IOException e) {
            throw new ExtractionFailed("the model's JSON did not parse: " + e.getMessage());
        }
    }

    /** The transcript, its oldest lines dropped until the prompt fits {@code budget} tokens. */
    private static String fitting(String transcript, String instruction, LanguageModel model, int budget) {
        String t = transcript;
        while (!t.isEmpty() && model.countTokens(t + instruction) > budget) {
            int cut = t.indexOf('\n', Math.max(1, t.length() / 4));
            t = cut < 0 ? "" : t.substring(cut + 1);
        }
        return t;
    }

    private static String transcript(List<Turn> turns) {
        StringBuilder text = new StringBuilder();
        turns.forEach(
                t -> text.append(t.role()).append(": ").append(t.text().strip()).append('\n'));
        return text.toString();
    }

    private void add(
            List<NewMemory> out,
            String text,
            List<String> kind,
            JsonNode topics,
            JsonNode entities,
            String sessionId,
            String userId) {
        String t = text.strip();
        if (t.codePoints()
                .allMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c))) {
            return; // nothing to remember: the model wrote only spaces
        }
        Set<String> tags = new LinkedHashSet<>(kind);
        labels(tags, "topic:", topics);
        labels(tags, "entity:", entities);
        int max = memoryConfig.maxTextChars();
        out.add(new NewMemory(
                t.length() > max ? t.substring(0, max) : t,
                List.copyOf(tags),
                userId,
                sessionId,
                MemorySource.conversation));
    }

    /** Each label as a tag-safe slug (lower case, runs of other characters as '-'); empty ones dropped. */
    private static void labels(Set<String> tags, String prefix, JsonNode labels) {
        if (labels == null) {
            return;
        }
        for (JsonNode label : labels) {
            String slug = label.asText()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9._]+", "-")
                    .replaceAll("^-+|-+$", "");
            if (!slug.isEmpty() && tags.size() < 16) {
                tags.add(prefix + (slug.length() > MAX_LABEL ? slug.substring(0, MAX_LABEL) : slug));
            }
        }
    }

    /**
     * One memory per exchange (a user turn with the assistant turn after it, as
     * {@code "user: …\nassistant: …"}), since a question and its answer mean most together; a turn
     * without its partner stands alone. Texts over the limit are cut to it.
     */
    static List<NewMemory> exchanges(List<Turn> turns, String sessionId, String userId, int maxChars) {
        List<NewMemory> out = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            StringBuilder text = new StringBuilder(turns.get(i).role())
                    .append(": ")
                    .append(turns.get(i).text().strip());
            if (Turn.USER.equals(turns.get(i).role())
                    && i + 1 < turns.size()
                    && Turn.ASSISTANT.equals(turns.get(i + 1).role())) {
                text.append('\n')
                        .append(Turn.ASSISTANT)
                        .append(": ")
                        .append(turns.get(++i).text().strip());
            }
            String t = text.length() > maxChars ? text.substring(0, maxChars) : text.toString();
            if (!t.isBlank()) {
                out.add(new NewMemory(t, List.of("kind:exchange"), userId, sessionId, MemorySource.conversation));
            }
        }
        return out;
    }
}
