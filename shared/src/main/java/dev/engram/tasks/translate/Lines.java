package dev.engram.tasks.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A text cut into lines, each split into what is kept as it is — indentation, a list marker, a
 * heading or quote mark, the line end — and the words to translate. Translating only the words and
 * putting them back between the kept parts preserves paragraphs, lists and headings whatever the model
 * does; a line without letters (a rule, a number) is not translated at all.
 */
record Lines(List<Line> lines) {
    private static final Pattern SHAPE =
            Pattern.compile("^(\\s*(?:(?:[-*+•]|\\d{1,3}[.)]|#{1,6}|>)\\s+)?)(.*?)(\\s*)$", Pattern.DOTALL);

    /** {@code prefix + words + suffix} is the line exactly. */
    record Line(String prefix, String words, String suffix) {
        boolean translatable() {
            return words.codePoints().anyMatch(Character::isLetter);
        }
    }

    static Lines of(String text) {
        List<Line> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            Matcher m = SHAPE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("unreachable: the pattern matches every line");
            }
            lines.add(new Line(m.group(1), m.group(2), m.group(3)));
        }
        return new Lines(lines);
    }
}
