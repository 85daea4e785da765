package dev.engram.tasks.text;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Packs consecutive pieces of text (sentences, partial summaries) into as few chunks as fit, in order.
 * Pieces are first packed by their own token counts against {@code budget}; then each chunk's whole
 * prompt is checked with {@code fits}, the real test (token counts are not exactly additive, and the
 * prompt template adds its own), and pieces move back to the next chunk until it passes. A single
 * piece too large for any chunk is cut at the whitespace nearest its middle (or, with none, its middle
 * character) until the parts fit. So every chunk passes {@code fits}, and nothing is dropped.
 */
public final class Chunker {
    private final ToIntFunction<String> tokens;
    private final Predicate<String> fits;
    private final int budget;

    /**
     * @param tokens counts the tokens of a piece
     * @param fits whether a chunk's text, put into its prompt, leaves the prompt within the context
     * @param budget roughly how many tokens of text a chunk may hold (the packing estimate)
     */
    public Chunker(ToIntFunction<String> tokens, Predicate<String> fits, int budget) {
        this.tokens = tokens;
        this.fits = fits;
        this.budget = Math.max(1, budget);
    }

    /** The packing estimate: tokens of text a chunk may hold. */
    public int budget() {
        return budget;
    }

    public List<String> pack(List<String> pieces, String separator) {
        int separatorTokens = 1; // a space or line break: one token at most, often merged into the next word
        Deque<String> queue = new ArrayDeque<>(pieces);
        List<String> chunks = new ArrayList<>();
        while (!queue.isEmpty()) {
            List<String> current = new ArrayList<>();
            int used = 0;
            while (!queue.isEmpty()) {
                int cost = tokens.applyAsInt(queue.peekFirst()) + separatorTokens;
                if (!current.isEmpty() && used + cost > budget) {
                    break;
                }
                current.add(queue.pollFirst());
                used += cost;
            }
            while (!current.isEmpty() && !fits.test(String.join(separator, current))) {
                if (current.size() > 1) {
                    queue.addFirst(current.removeLast());
                } else {
                    List<String> halves = halve(current.removeLast());
                    queue.addFirst(halves.get(1));
                    queue.addFirst(halves.get(0));
                }
            }
            if (!current.isEmpty()) {
                chunks.add(String.join(separator, current));
            }
        }
        return chunks;
    }

    /** Two non-empty parts of {@code piece}, cut at whitespace near the middle when there is some. */
    static List<String> halve(String piece) {
        String text = piece.strip();
        if (text.codePointCount(0, text.length()) < 2) {
            throw new IllegalStateException(
                    "A single character does not fit the chunk prompt: the prompt template leaves no room");
        }
        int middle = text.length() / 2;
        int cut = -1;
        for (int offset = 0; offset < middle && cut < 0; offset++) {
            if (Character.isWhitespace(text.charAt(middle + offset))) {
                cut = middle + offset;
            } else if (Character.isWhitespace(text.charAt(middle - offset))) {
                cut = middle - offset;
            }
        }
        if (cut > 0) {
            return List.of(text.substring(0, cut).strip(), text.substring(cut).strip());
        }
        if (Character.isLowSurrogate(text.charAt(middle))) {
            middle++;
        }
        return List.of(text.substring(0, middle), text.substring(middle));
    }
}
