package dev.engram.tasks.classify;

import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The classification prompt (one per request, shared by every label) and each label's continuation.
 * A raw completion model reads the text, the question and {@code "Answer:"}, and each label is scored
 * as {@code " " + name} after it; a chat model gets the same as a user message and each label is scored
 * as the start of its reply.
 */
public final class ClassifyPrompts {
    static final String INSTRUCTION = "Classify the text. Answer with exactly one of the labels.";

    private ClassifyPrompts() {}

    /** The prompt the labels continue: a chat prompt for a chat model, raw completion text otherwise. */
    public static Prompt prompt(LanguageModel model, String text, List<ClassifyLabel> labels) {
        String question = "Text: " + text.strip() + "\n\nLabels:\n"
                + labels.stream()
                        .map(l -> "- " + l.name() + (l.description() == null ? "" : ": " + l.description()))
                        .collect(Collectors.joining("\n"));
        if (model.hasChatTemplate()) {
            return Prompt.of(INSTRUCTION, question);
        }
        return Prompt.raw(question + "\n\nQuestion: Which label fits the text?\nAnswer:");
    }

    /** What follows the prompt when the model answers with {@code label}. */
    public static List<String> continuations(LanguageModel model, List<ClassifyLabel> labels) {
        String before = model.hasChatTemplate() ? "" : " ";
        return labels.stream().map(l -> before + l.name()).toList();
    }

    /** What the embedder compares the text with. */
    static String embeddingText(ClassifyLabel label) {
        return label.description() == null ? label.name() : label.description();
    }
}
