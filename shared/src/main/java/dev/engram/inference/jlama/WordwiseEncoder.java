package dev.engram.inference.jlama;

import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.safetensors.tokenizer.TokenizerModel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Jlama's tokenizer, made linear for SentencePiece vocabularies. Without a pre-tokenizer Jlama's BPE
 * encode treats a whole text as one word and merges by rescanning it from the left after every merge:
 * quadratic in its length (2 ms for 118 characters, ~40 s for 15,000 on stories260K).
 *
 * <p>When no vocabulary piece has "▁" after another character, no merge can reach across a space
 * mark, and when the normalizer is SentencePiece's (prefix "▁", every space to "▁"), the text
 * {@code "w1 w2 w3"} normalises to exactly the pieces of {@code "w1"}, {@code "w2"}, {@code "w3"}
 * normalised alone. Jlama's merges on one word never depend on another word, so encoding word by
 * word gives the same ids, in linear time, and repeated words come from a cache. Texts this cannot
 * prove equal for (a pre-tokenizer, which already splits; added tokens such as {@code <s>} in the
 * text; another normalizer) go to Jlama's encode unchanged.
 */
public final class WordwiseEncoder {
    /** Probe for the normalizer: SentencePiece's maps it to "▁a▁▁b▁c". */
    private static final String PROBE = "a  b c";

    private static final Pattern MARK_AFTER_CHARACTER = Pattern.compile("[^▁]▁");
    private static final int CACHE_LIMIT = 65_536;
    private static final int CACHED_WORD_LIMIT = 64;

    private final Tokenizer tokenizer;
    private final boolean wordwise;
    private final Pattern addedTokens;
    private final Map<String, long[]> cache = new ConcurrentHashMap<>();

    public WordwiseEncoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        TokenizerModel model = tokenizer.getModel();
        this.addedTokens = model.addedTokenPattern();
        this.wordwise = model.preTokenizer() == null
                && model.normalizer() != null
                && "▁a▁▁b▁c".equals(model.normalizer().normalize(PROBE))
                && model.vocabLookup.keySet().stream()
                        .noneMatch(piece -> MARK_AFTER_CHARACTER.matcher(piece).find());
    }

    /** Whether texts are encoded word by word (else every call is Jlama's own encode). */
    public boolean wordwise() {
        return wordwise;
    }

    /** The same ids as {@code tokenizer.encode(text)}. */
    public long[] encode(String text) {
        if (!wordwise || (addedTokens != null && addedTokens.matcher(text).find())) {
            return tokenizer.encode(text);
        }
        long[] ids = new long[Math.max(16, text.length() / 2)];
        int count = 0;
        int start = 0;
        // A word ends at a single space between two non-spaces; runs of spaces stay inside a word.
        for (int i = 1; i + 1 < text.length(); i++) {
            if (text.charAt(i) == ' ' && text.charAt(i - 1) != ' ' && text.charAt(i + 1) != ' ') {
                long[] word = word(text.substring(start, i));
                ids = fit(ids, count + word.length);
                System.arraycopy(word, 0, ids, count, word.length);
                count += word.length;
                start = i + 1;
            }
        }
        long[] last = word(text.substring(start));
        ids = fit(ids, count + last.length);
        System.arraycopy(last, 0, ids, count, last.length);
        return Arrays.copyOf(ids, count + last.length);
    }

    private long[] word(String word) {
        if (word.length() > CACHED_WORD_LIMIT) {
            return tokenizer.encode(word);
        }
        long[] cached = cache.get(word);
        if (cached == null) {
            cached = tokenizer.encode(word);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear(); // bounded, and a vocabulary's common words come back at once
            }
            cache.put(word, cached);
        }
        return cached;
    }

    private static long[] fit(long[] ids, int needed) {
        return needed <= ids.length ? ids : Arrays.copyOf(ids, Math.max(needed, ids.length * 2));
    }
}
