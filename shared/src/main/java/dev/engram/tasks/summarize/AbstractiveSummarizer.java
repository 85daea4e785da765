package dev.engram.tasks.summarize;

import dev.engram.inference.Cancellation;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.tasks.text.Chunker;
import dev.engram.tasks.text.Sentence;
import dev.engram.tasks.text.Tally;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.jboss.logging.Logger;

/**
 * The model writes the summary (greedy decoding, so the same text gives the same summary). A text that
 * fits one prompt is summarised in one call. A longer one is map-reduced: split on sentence boundaries
 * into chunks whose whole prompt — template, chunk and {@code maxTokens} of answer — fits the context,
 * each chunk summarised, then the partial summaries combined; when they do not fit one prompt either,
 * they are chunked and combined again, level by level. {@code maxTokens} is at most a quarter of the
 * context, so a chunk holds at least two partial summaries and each level at least halves their number.
 */
public final class AbstractiveSummarizer {
    private static final Logger LOG = Logger.getLogger(AbstractiveSummarizer.class);

    private final LanguageModel model;
    private final int maxTokens;
    private final SummaryPrompts prompts;
    private final Tally tally;
    private final Cancellation cancellation;
    private final List<SummaryStep> steps = new ArrayList<>();

    /** {@code cancellation}: the request's, shared by every step so the request's deadline holds for all. */
    public AbstractiveSummarizer(
            LanguageModel model,
            int maxTokens,
            SummaryStyle style,
            String focus,
            Tally tally,
            Cancellation cancellation) {
        this.model = model;
        this.maxTokens = maxTokens;
        this.prompts = new SummaryPrompts(model.hasChatTemplate(), style, focus);
        this.tally = tally;
        this.cancellation = cancellation;
    }

    /** The largest {@code maxTokens} an abstractive summary may ask of {@code model}. */
    public static int maxTokensLimit(LanguageModel model) {
        return Math.max(1, model.contextLength() / 4);
    }

    /**
     * The input's chunks for the map steps, each within the context with its prompt (one: no
     * map-reduce); {@code null} when the text plainly needs more than {@code maxChunks}. Only sentences
     * and chunks are tokenized, never the whole text at once (tokenizers slow down on long inputs).
     */
    public List<String> chunks(List<Sentence> sentences, int maxChunks) {
        List<String> pieces = new ArrayList<>(sentences.size());
        Map<String, Integer> counts = new HashMap<>();
        long total = 0;
        for (int i = 0; i < sentences.size(); i++) {
            boolean paragraphEnds = i + 1 == sentences.size()
                    || sentences.get(i + 1).paragraph() != sentences.get(i).paragraph();
            String piece = sentences.get(i).text() + (paragraphEnds ? "\n" : " ");
            pieces.add(piece);
            total += counts.computeIfAbsent(piece, model::countTokens);
        }
        Chunker chunker =
                chunker(text -> prompts.map(text, false), piece -> counts.computeIfAbsent(piece, model::countTokens));
        if (total > (long) maxChunks * chunker.budget()) {
            return null;
        }
        if (total <= chunker.budget()) {
            String whole = String.join("", pieces).strip();
            if (fits(prompts.map(whole, true))) {
                return List.of(whole);
            }
        }
        return chunker.pack(pieces, "").stream().map(String::strip).toList();
    }

    /** Runs the map and reduce steps over {@code chunks} (from {@link #chunks}); the summary before styling. */
    public String summarize(List<String> chunks) {
        if (chunks.size() == 1) {
            return call("single", 0, prompts.map(chunks.getFirst(), true));
        }
        List<String> partials = new ArrayList<>();
        for (String chunk : chunks) {
            partials.add(call("map", 0, prompts.map(chunk, false)));
        }
        for (int level = 1; ; level++) {
            partials.removeIf(String::isBlank);
            String joined = String.join("\n", partials);
            if (fits(prompts.reduce(joined, true))) {
                return call("reduce", level, prompts.reduce(joined, true));
            }
            List<String> groups = chunker(text -> prompts.reduce(text, false)).pack(partials, "\n");
            if (groups.size() >= partials.size()) {
                // Cannot happen while maxTokens ≤ context / 4; rather than loop, combine what fits.
                LOG.warnf("Partial summaries did not shrink (%d); combining the first that fit", partials.size());
                String first = chunker(text -> prompts.reduce(text, true))
                        .pack(partials, "\n")
                        .getFirst();
                return call("reduce", level, prompts.reduce(first, true));
            }
            List<String> next = new ArrayList<>();
            for (String group : groups) {
                next.add(call("reduce", level, prompts.reduce(group, false)));
            }
            partials = next;
        }
    }

    public List<SummaryStep> steps() {
        return List.copyOf(steps);
    }

    private Chunker chunker(Function<String, Prompt> prompt) {
        return chunker(prompt, model::countTokens);
    }

    private Chunker chunker(Function<String, Prompt> prompt, ToIntFunction<String> tokens) {
        int overhead = model.countTokens(model.render(prompt.apply(""))) + 1;
        return new Chunker(tokens, text -> fits(prompt.apply(text)), model.contextLength() - maxTokens - overhead);
    }

    /** The rendered prompt, BOS included, plus the answer's room stays within the context. */
    private boolean fits(Prompt prompt) {
        return model.countTokens(model.render(prompt)) + 1 + maxTokens <= model.contextLength();
    }

    private String call(String stage, int level, Prompt prompt) {
        GenerationResult result =
                tally.add(model.generate(new GenerationRequest(prompt, null, maxTokens, null, cancellation), t -> {}));
        steps.add(new SummaryStep(stage, level, result.promptTokens(), result.completionTokens()));
        return result.text().strip();
    }
}
