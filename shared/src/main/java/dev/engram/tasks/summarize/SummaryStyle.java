package dev.engram.tasks.summarize;

import dev.engram.tasks.text.Sentence;
import dev.engram.tasks.text.Sentences;
import java.util.List;
import java.util.stream.Collectors;

/** How a summary is laid out. */
public enum SummaryStyle {
    PARAGRAPH,
    BULLETS;

    /** Sentences as one paragraph, or one bullet ({@code "- "}) per line. */
    public String join(List<String> sentences) {
        return this == BULLETS
                ? sentences.stream().map(s -> "- " + s).collect(Collectors.joining("\n"))
                : String.join(" ", sentences);
    }

    /**
     * A model's text in this style: bullets when every line is already one are kept; otherwise the text
     * is split into sentences, one bullet each (small models rarely follow the format).
     */
    public String shape(String text) {
        String stripped = text.strip();
        if (this == PARAGRAPH || stripped.isEmpty()) {
            return stripped;
        }
        List<String> lines = stripped.lines().filter(l -> !l.isBlank()).toList();
        if (lines.stream().allMatch(l -> l.stripLeading().startsWith("- "))) {
            return lines.stream().map(String::strip).collect(Collectors.joining("\n"));
        }
        return join(Sentences.split(stripped).stream().map(Sentence::text).toList());
    }
}
