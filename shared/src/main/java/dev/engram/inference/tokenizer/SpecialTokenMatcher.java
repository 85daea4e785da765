package dev.engram.inference.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the spellings of whole-match tokens (control, user-defined, unknown) in text rendered by the
 * engine, longest spelling first at each position. Spellings are grouped by first character, so a
 * text is scanned once and most positions cost one map lookup.
 */
final class SpecialTokenMatcher {
    private record Spelling(String text, int id) {}

    private final Map<Character, List<Spelling>> byFirstChar = new HashMap<>();

    SpecialTokenMatcher(List<String> pieces, List<TokenType> types) {
        for (int id = 0; id < pieces.size(); id++) {
            String text = pieces.get(id);
            if (types.get(id).matchedWhole() && !text.isEmpty()) {
                byFirstChar
                        .computeIfAbsent(text.charAt(0), c -> new ArrayList<>())
                        .add(new Spelling(text, id));
            }
        }
        byFirstChar
                .values()
                .forEach(list -> list.sort(
                        Comparator.comparingInt((Spelling s) -> s.text().length())
                                .reversed()));
    }

    /** Receives the pieces of a split text in order. */
    interface Visitor {
        void text(String text, boolean afterSpecial);

        void special(int id);
    }

    /** Splits {@code text} into plain runs and special tokens, in order (empty runs are skipped). */
    void split(String text, Visitor visitor) {
        int start = 0;
        boolean afterSpecial = false;
        for (int i = 0; i < text.length(); ) {
            Spelling match = matchAt(text, i);
            if (match == null) {
                i++;
                continue;
            }
            if (i > start) {
                visitor.text(text.substring(start, i), afterSpecial);
            }
            visitor.special(match.id());
            afterSpecial = true;
            i += match.text().length();
            start = i;
        }
        if (start < text.length()) {
            visitor.text(text.substring(start), afterSpecial);
        }
    }

    private Spelling matchAt(String text, int i) {
        List<Spelling> candidates = byFirstChar.get(text.charAt(i));
        if (candidates != null) {
            for (Spelling s : candidates) {
                if (text.startsWith(s.text(), i)) {
                    return s;
                }
            }
        }
        return null;
    }
}
