package dev.engram.tasks.translate;

import dev.engram.inference.Cancellation;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import dev.engram.tasks.text.Chunker;
import dev.engram.tasks.text.Sentence;
import dev.engram.tasks.text.Sentences;
import dev.engram.tasks.text.Tally;
import dev.engram.tasks.translate.TranslateResponse.Segment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Translates a text line by line (see {@link Lines}); a line too long for one prompt is split on
 * sentence boundaries into chunks translated in order and joined with a space. Each chunk's prompt
 * leaves room in the context for an answer of up to {@value #OUTPUT_RATIO} times the chunk's tokens
 * (plus {@value #OUTPUT_SLACK}): translations into another script can take several times the tokens.
 * Decoding is greedy: the same text gives the same translation.
 */
final class Translator {
    static final int OUTPUT_RATIO = 3;
    static final int OUTPUT_SLACK = 16;

    private final LanguageModel model;
    private final TranslationPrompts prompts;
    private final Locale locale;
    private final Tally tally;
    private final Cancellation cancellation;

    /** {@code cancellation}: the request's, shared by every chunk so the request's deadline holds for all. */
    Translator(LanguageModel model, TranslationPrompts prompts, Locale locale, Tally tally, Cancellation cancellation) {
        this.model = model;
        this.prompts = prompts;
        this.locale = locale;
        this.tally = tally;
        this.cancellation = cancellation;
    }

    /**
     * The chunks of each line, in order (none for a line without words); {@code null} when the text
     * plainly needs more than {@code maxChunks}, found from its sentences' token counts before any
     * chunk is built (tokenizers are fast on sentences, slow on long texts).
     */
    List<List<String>> plan(Lines lines, int maxChunks) {
        int overhead = model.countTokens(model.render(prompts.prompt(""))) + 1;
        Map<String, Integer> counts = new HashMap<>();
        ToIntFunction<String> tokens = piece -> counts.computeIfAbsent(piece, model::countTokens);
        Chunker chunker =
                new Chunker(tokens, this::fits, (model.contextLength() - overhead - OUTPUT_SLACK) / (OUTPUT_RATIO + 1));
        List<List<String>> sentences = new ArrayList<>();
        long total = 0;
        int lower = 0;
        for (Lines.Line line : lines.lines()) {
            List<String> split = line.translatable()
                    ? Sentences.split(line.words(), locale).stream()
                            .map(Sentence::text)
                            .toList()
                    : List.of();
            sentences.add(split);
            for (String sentence : split) {
                total += tokens.applyAsInt(sentence);
            }
            lower += split.isEmpty() ? 0 : 1;
        }
        if (lower > maxChunks || total > (long) maxChunks * chunker.budget()) {
            return null;
        }
        List<List<String>> plan = new ArrayList<>();
        for (List<String> line : sentences) {
            plan.add(line.isEmpty() ? List.of() : chunker.pack(line, " "));
        }
        return plan;
    }

    /** Translates every chunk of {@code plan} in order and puts the lines back together. */
    String translate(Lines lines, List<List<String>> plan, List<Segment> segments) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.lines().size(); i++) {
            Lines.Line line = lines.lines().get(i);
            if (i > 0) {
                out.append('\n');
            }
            out.append(line.prefix());
            if (plan.get(i).isEmpty()) {
                out.append(line.words());
            } else {
                List<String> parts = new ArrayList<>();
                for (String chunk : plan.get(i)) {
                    String translated = call(chunk);
                    segments.add(new Segment(chunk, translated));
                    parts.add(translated);
                }
                out.append(String.join(" ", parts));
            }
            out.append(line.suffix());
        }
        return out.toString();
    }

    private boolean fits(String chunk) {
        return promptTokens(chunk) + maxOutput(chunk) <= model.contextLength();
    }

    private int promptTokens(String chunk) {
        return model.countTokens(model.render(prompts.prompt(chunk))) + 1;
    }

    private int maxOutput(String chunk) {
        return OUTPUT_RATIO * model.countTokens(chunk) + OUTPUT_SLACK;
    }

    private String call(String chunk) {
        Prompt prompt = prompts.prompt(chunk);
        int room = model.contextLength() - model.countTokens(model.render(prompt)) - 1;
        GenerationRequest request = new GenerationRequest(
                prompt, Sampling.GREEDY, Math.max(1, Math.min(room, maxOutput(chunk))), prompts.stop(), cancellation);
        GenerationResult result = tally.add(model.generate(request, t -> {}));
        // One chunk is part of one line: a chat model's line breaks would break the layout.
        return result.text().strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
