package dev.engram.tasks.text;

import dev.engram.inference.LanguageModel;

/**
 * What a task records in working memory for a long input or output: the text itself when it is short,
 * else its beginning with a marker. A whole 200,000-character document as one turn would overflow the
 * working window and could not even be folded (the fold prompt must fit the context).
 */
public final class SessionText {
    static final String MARKER = " […]";

    private SessionText() {}

    /** {@code text} cut to at most an eighth of the model's context in tokens. */
    public static String clip(String text, LanguageModel model) {
        int limit = Math.max(8, model.contextLength() / 8);
        // A token rarely spans more than 8 characters: longer texts are clipped without tokenizing all of them
        // (tokenizers can be slow on long inputs).
        if (text.length() <= limit * 8 && model.countTokens(text) <= limit) {
            return text;
        }
        int low = 0;
        int high = Math.min(text.length(), limit * 8);
        while (low < high) { // longest prefix whose tokens, marker included, fit
            int mid = (low + high + 1) >>> 1;
            if (model.countTokens(text.substring(0, mid) + MARKER) <= limit) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        if (low > 0 && Character.isHighSurrogate(text.charAt(low - 1))) {
            low--;
        }
        return text.substring(0, low).stripTrailing() + MARKER;
    }
}
