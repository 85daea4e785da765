package dev.engram.tasks.classify;

import static dev.engram.tasks.Requests.range;
import static dev.engram.tasks.Requests.required;

import dev.engram.errors.InvalidRequestException;
import dev.engram.errors.NotSupportedException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.ContinuationScores;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.models.Models;
import dev.engram.memory.embedding.Embedder;
import dev.engram.memory.embedding.Embedders;
import dev.engram.memory.embedding.EmbeddingModel;
import dev.engram.memory.session.Session;
import dev.engram.observability.Calls;
import dev.engram.tasks.Requests;
import dev.engram.tasks.Usage;
import dev.engram.tasks.classify.ClassifyResponse.LabelScore;
import dev.engram.tasks.conversation.Conversations;
import dev.engram.tasks.conversation.MemoryReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Classification into a closed set of labels. {@code llm}: the language model's log-likelihood of each
 * label after a classification prompt, so the answer is always one of the labels and no free text is
 * parsed. {@code embedding}: cosine similarity of text and label embeddings. {@code auto}: the
 * embedding, unless its top two are closer than {@code engram.classify.auto-margin}; then the model.
 */
@ApplicationScoped
public class ClassifyTask {
    /** The call's deadline, span and request metrics (field-injected: the constructor stays the task's own). */
    @Inject
    Calls calls;

    private static final Logger LOG = Logger.getLogger(ClassifyTask.class);
    public static final int MIN_LABELS = 2;
    public static final int MAX_LABELS = 50;
    public static final int MAX_LABEL_CHARS = 100;
    public static final int MAX_DESCRIPTION_CHARS = 500;
    public static final double DEFAULT_MULTI_LABEL_THRESHOLD = 0.5;
    static final String EMBEDDER_NAME = "all-MiniLM-L6-v2";

    public enum Mode {
        LLM,
        EMBEDDING,
        AUTO;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Models models;
    private final Embedder embedder;
    private final Conversations conversations;
    private final ClassifyConfig config;

    public ClassifyTask(Models models, Embedders embedders, Conversations conversations, ClassifyConfig config) {
        this.models = models;
        // MiniLM whatever long-term memory uses: the embedding temperature and auto margin are calibrated on its scores
        this.embedder = embedders.get(EmbeddingModel.MINILM);
        this.conversations = conversations;
        this.config = config;
    }

    /** What one mode found: per-label probabilities and where they came from. */
    private record Outcome(
            Mode mode,
            double[] probabilities,
            Double[] logProbs,
            Integer[] tokens,
            Double[] similarities,
            Double margin,
            String model,
            Usage usage,
            long embeddingNanos,
            long tokenizeNanos,
            long queueNanos,
            long promptNanos,
            long labelsNanos) {}

    public ClassifyResponse run(String tenant, ClassifyRequest request) {
        return calls.run("classify", cancellation -> call(tenant, request, cancellation));
    }

    private ClassifyResponse call(String tenant, ClassifyRequest request, Cancellation cancellation) {
        long start = System.nanoTime();
        Requests.body(request);
        String text = text(request.text());
        List<ClassifyLabel> labels = labels(request.labels());
        Mode mode = mode(request.mode());
        boolean multiLabel = Boolean.TRUE.equals(request.multiLabel());
        range(request.threshold(), "threshold", 0, 1);
        // A bad id or a Redis outage costs nothing when found before the model runs.
        Session session = request.sessionId() == null ? null : conversations.open(tenant, request.sessionId());

        Outcome outcome = switch (mode) {
            case LLM -> llm(text, labels, multiLabel, models.get(), cancellation);
            case EMBEDDING -> embedding(text, labels, multiLabel);
            case AUTO -> auto(text, labels, multiLabel, cancellation);
        };
        List<LabelScore> ranked = rank(labels, outcome);
        Object label = choose(ranked, multiLabel, request.threshold());
        MemoryReport memory = session == null
                ? null
                : conversations.record(session, text, answerText(label), models.get(), cancellation);
        ClassifyTimings timings = new ClassifyTimings(
                ClassifyTimings.ms(outcome.embeddingNanos()),
                ClassifyTimings.ms(outcome.tokenizeNanos()),
                ClassifyTimings.ms(outcome.queueNanos()),
                ClassifyTimings.ms(outcome.promptNanos()),
                ClassifyTimings.ms(outcome.labelsNanos()),
                ClassifyTimings.ms(System.nanoTime() - start));
        return new ClassifyResponse(
                ranked,
                label,
                outcome.mode().wire(),
                outcome.margin(),
                outcome.model(),
                outcome.usage(),
                timings,
                memory);
    }

    private Outcome auto(String text, List<ClassifyLabel> labels, boolean multiLabel, Cancellation cancellation) {
        Outcome embedded = embedding(text, labels, multiLabel);
        if (embedded.margin() >= config.autoMargin()) {
            return embedded;
        }
        try {
            Outcome scored = llm(text, labels, multiLabel, models.get(), cancellation);
            return new Outcome(
                    scored.mode(),
                    scored.probabilities(),
                    scored.logProbs(),
                    scored.tokens(),
                    embedded.similarities(),
                    embedded.margin(),
                    scored.model(),
                    scored.usage(),
                    embedded.embeddingNanos(),
                    scored.tokenizeNanos(),
                    scored.queueNanos(),
                    scored.promptNanos(),
                    scored.labelsNanos());
        } catch (NotSupportedException | InvalidRequestException e) {
            // The model cannot take this request (backend without scores, text beyond its context): the embedding
            // stands.
            LOG.debugf("auto mode keeps the embedding's answer: %s", e.getMessage());
            return embedded;
        }
    }

    private Outcome llm(
            String text,
            List<ClassifyLabel> labels,
            boolean multiLabel,
            LanguageModel model,
            Cancellation cancellation) {
        Prompt prompt = ClassifyPrompts.prompt(model, text, labels);
        ContinuationScores result =
                model.scoreContinuations(prompt, ClassifyPrompts.continuations(model, labels), cancellation);
        int n = labels.size();
        double[] mean = new double[n];
        Double[] logProbs = new Double[n];
        Integer[] tokens = new Integer[n];
        for (int i = 0; i < n; i++) {
            ContinuationScores.Score score = result.scores().get(i);
            mean[i] = score.meanLogProb();
            logProbs[i] = score.meanLogProb();
            tokens[i] = score.tokens();
        }
        return new Outcome(
                Mode.LLM,
                Probabilities.of(mean, multiLabel, 1.0),
                logProbs,
                tokens,
                null,
                null,
                model.name(),
                new Usage(result.promptTokens(), result.scoredTokens()),
                0,
                result.tokenizeNanos(),
                result.queueNanos(),
                result.promptNanos(),
                result.continuationsNanos());
    }

    Outcome embedding(String text, List<ClassifyLabel> labels, boolean multiLabel) {
        long start = System.nanoTime();
        List<String> texts = new ArrayList<>(labels.size() + 1);
        texts.add(text);
        labels.forEach(l -> texts.add(ClassifyPrompts.embeddingText(l)));
        List<float[]> vectors = embedder.embedAll(texts);
        long took = System.nanoTime() - start;
        double[] cosine = new double[labels.size()];
        Double[] similarities = new Double[labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            cosine[i] = dot(vectors.getFirst(), vectors.get(i + 1));
            similarities[i] = round(cosine[i]);
        }
        double[] probabilities = Probabilities.of(cosine, multiLabel, config.embeddingTemperature());
        // The margin is always the single-label view: with multi-label, two labels that both clearly
        // apply are close in probability without being a close call.
        double margin = Probabilities.margin(Probabilities.softmax(cosine, config.embeddingTemperature()));
        return new Outcome(
                Mode.EMBEDDING,
                probabilities,
                null,
                null,
                similarities,
                round(margin),
                EMBEDDER_NAME,
                new Usage(0, 0),
                took,
                0,
                0,
                0,
                0);
    }

    private static List<LabelScore> rank(List<ClassifyLabel> labels, Outcome o) {
        return IntStream.range(0, labels.size())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -o.probabilities()[i]))
                .map(i -> new LabelScore(
                        labels.get(i).name(),
                        round(o.probabilities()[i]),
                        o.logProbs() == null ? null : round(o.logProbs()[i]),
                        o.tokens() == null ? null : o.tokens()[i],
                        o.similarities() == null ? null : o.similarities()[i]))
                .toList();
    }

    private static Object choose(List<LabelScore> ranked, boolean multiLabel, Double threshold) {
        if (multiLabel) {
            double min = threshold == null ? DEFAULT_MULTI_LABEL_THRESHOLD : threshold;
            return ranked.stream()
                    .filter(s -> s.score() >= min)
                    .map(LabelScore::label)
                    .toList();
        }
        LabelScore top = ranked.getFirst();
        return threshold != null && top.score() < threshold ? null : top.label();
    }

    private static String answerText(Object label) {
        if (label instanceof List<?> list) {
            return list.stream()
                    .map(Object::toString)
                    .reduce((a, b) -> a + ", " + b)
                    .orElse("");
        }
        return label == null ? "" : label.toString();
    }

    private String text(String value) {
        String text = required(value, "text");
        if (Requests.blank(text)) {
            throw new InvalidRequestException("empty_text", "'text' must not be empty");
        }
        if (text.length() > config.maxTextChars()) {
            throw new InvalidRequestException(
                    "too_long", "'text' is " + text.length() + " characters; the limit is " + config.maxTextChars());
        }
        return text;
    }

    static List<ClassifyLabel> labels(List<ClassifyLabel> labels) {
        required(labels, "labels");
        if (labels.size() < MIN_LABELS || labels.size() > MAX_LABELS) {
            throw new InvalidRequestException(
                    "out_of_range",
                    "'labels' takes " + MIN_LABELS + " to " + MAX_LABELS + " labels, got " + labels.size());
        }
        Set<String> seen = new HashSet<>();
        List<ClassifyLabel> clean = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            ClassifyLabel label = labels.get(i);
            String at = "'labels[" + i + "]'";
            if (label == null || label.name() == null || label.name().isBlank()) {
                throw new InvalidRequestException("invalid_label", at + " needs a non-empty name");
            }
            String name = label.name().strip();
            if (name.length() > MAX_LABEL_CHARS || name.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidRequestException(
                        "invalid_label", at + " must be 1 to " + MAX_LABEL_CHARS + " characters on one line");
            }
            if (label.description() != null
                    && (label.description().isBlank() || label.description().length() > MAX_DESCRIPTION_CHARS)) {
                throw new InvalidRequestException(
                        "invalid_label", at + " description must be 1 to " + MAX_DESCRIPTION_CHARS + " characters");
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw new InvalidRequestException(
                        "duplicate_label", "'labels' has '" + name + "' twice (labels are compared without case)");
            }
            clean.add(new ClassifyLabel(
                    name,
                    label.description() == null ? null : label.description().strip()));
        }
        return clean;
    }

    static Mode mode(String mode) {
        if (mode == null) {
            return Mode.AUTO;
        }
        for (Mode m : Mode.values()) {
            if (m.wire().equals(mode)) {
                return m;
            }
        }
        throw new InvalidRequestException(
                "invalid_mode", "'mode' must be one of llm, embedding, auto; got '" + mode + "'");
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
