package dev.engram.tasks.text;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into sentences with {@link BreakIterator}, paragraph by paragraph: a line break always
 * ends a sentence (list items and headings have no full stop), and a blank line starts a new paragraph.
 * Sentences are trimmed, never rewritten, so each one occurs verbatim in the input. BreakIterator
 * ends a sentence after any abbreviation with a full stop; a few common English titles ("Mr.",
 * "Dr.", …) are joined to the words that follow (other abbreviations still split).
 */
public final class Sentences {
    private static final Set<String> TITLES =
            Set.of("mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "mt.", "sr.", "jr.", "e.g.", "i.e.", "vs.");

    private Sentences() {}

    public static List<Sentence> split(String text) {
        return split(text, Locale.ROOT);
    }

    public static List<Sentence> split(String text, Locale locale) {
        List<Sentence> sentences = new ArrayList<>();
        BreakIterator breaks = BreakIterator.getSentenceInstance(locale);
        int paragraph = 0;
        boolean blankSeen = false;
        int lineStart = 0;
        while (lineStart <= text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            String line = text.substring(lineStart, lineEnd);
            if (line.isBlank()) {
                blankSeen = true;
            } else {
                if (blankSeen && !sentences.isEmpty()) {
                    paragraph++;
                }
                blankSeen = false;
                breaks.setText(line);
                int from = breaks.first();
                for (int to = breaks.next(); to != BreakIterator.DONE; to = breaks.next()) {
                    if (to < line.length() && endsWithTitle(line.substring(from, to))) {
                        continue;
                    }
                    add(sentences, text, lineStart + from, lineStart + to, paragraph);
                    from = to;
                }
            }
            lineStart = lineEnd + 1;
        }
        return sentences;
    }

    private static boolean endsWithTitle(String segment) {
        String trimmed = segment.strip();
        int space = trimmed.lastIndexOf(' ');
        return TITLES.contains(trimmed.substring(space + 1).toLowerCase(Locale.ROOT));
    }

    private static void add(List<Sentence> into, String text, int start, int end, int paragraph) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            into.add(new Sentence(text.substring(start, end), start, end, paragraph));
        }
    }
}
