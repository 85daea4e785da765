package dev.engram.inference.structured;

import dev.engram.errors.NotSupportedException;
import dev.engram.inference.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

/**
 * A tokenizer's vocabulary as the automaton walks it. Control tokens, end tokens and tokens that stand
 * for no bytes are left out: the automaton never lets them through as text.
 *
 * <p>Inside a string most of a vocabulary is allowed, and whether a token is depends only on how
 * many characters are left: its bytes are plain text (no quote, backslash or control byte, whole or
 * partial UTF-8 characters from a character boundary). Those tokens are precomputed by length
 * ({@link #plainUpTo}); only the others ({@link #special}) are walked there.
 */
final class TokenVocabulary {
    /** The bytes every UTF-8 JSON text may need; a vocabulary must spell each as a token of its own. */
    private static final String NEEDED = "0x20-0x7F, 0x80-0xBF, 0xC2-0xF4";

    final int size;
    final int[] endTokens;
    final byte[][] bytes;
    final TokenTrie all;
    final TokenTrie special;
    /** {@code plainUpTo[n]}: the plain-text tokens of at most n characters (the last entry: all of them). */
    final BitSet[] plainUpTo;

    private TokenVocabulary(
            int size, int[] endTokens, byte[][] bytes, TokenTrie all, TokenTrie special, BitSet[] plainUpTo) {
        this.size = size;
        this.endTokens = endTokens;
        this.bytes = bytes;
        this.all = all;
        this.special = special;
        this.plainUpTo = plainUpTo;
    }

    /**
     * @throws NotSupportedException when the vocabulary lacks a single-byte token that JSON text may
     *     need: then some valid document could not be spelled, and the guarantee would not hold
     */
    static TokenVocabulary of(Tokenizer tokenizer) {
        int size = tokenizer.size();
        Set<Integer> ends = tokenizer.endTokens();
        byte[][] bytes = new byte[size][];
        List<Integer> ids = new ArrayList<>(size);
        List<Integer> special = new ArrayList<>();
        int[] characters = new int[size];
        int longest = 0;
        boolean[] single = new boolean[256];
        for (int id = 0; id < size; id++) {
            byte[] spelled = tokenizer.isControl(id) || ends.contains(id) ? new byte[0] : tokenizer.bytes(id);
            bytes[id] = spelled;
            if (spelled.length == 0) {
                continue;
            }
            ids.add(id);
            if (spelled.length == 1) {
                single[spelled[0] & 0xFF] = true;
            }
            characters[id] = plainCharacters(spelled);
            if (characters[id] < 0) {
                special.add(id);
            }
            longest = Math.max(longest, characters[id]);
        }
        for (int b = 0x20; b <= 0xF4; b++) {
            if (!single[b] && (b < 0xC0 || b >= 0xC2)) {
                throw new NotSupportedException(String.format(
                        "Structured output needs a token for every single byte of UTF-8 JSON "
                                + "text (%s); this model's vocabulary has none for 0x%02X",
                        NEEDED, b));
            }
        }
        BitSet[] plainUpTo = new BitSet[longest + 1];
        for (int n = 0; n <= longest; n++) {
            plainUpTo[n] = new BitSet(size);
        }
        for (int id : ids) {
            if (characters[id] >= 0) {
                plainUpTo[characters[id]].set(id);
            }
        }
        for (int n = 1; n <= longest; n++) {
            plainUpTo[n].or(plainUpTo[n - 1]);
        }
        int[] endIds = ends.stream()
                .filter(id -> id >= 0 && id < size)
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
        return new TokenVocabulary(
                size, endIds, bytes, TokenTrie.of(ids, bytes), TokenTrie.of(special, bytes), plainUpTo);
    }

    /** The plain-text tokens a string with {@code left} characters to go may take. */
    BitSet plain(int left) {
        return plainUpTo[Math.min(left, plainUpTo.length - 1)];
    }

    /**
     * The characters a token starts when read inside a string from a character boundary, or -1 when
     * its bytes are not plain text there (by the same rules as {@link Text}).
     */
    private static int plainCharacters(byte[] spelled) {
        Text text = Text.EMPTY;
        for (byte b : spelled) {
            int u = b & 0xFF;
            if (u == '"' || u == '\\') {
                return -1;
            }
            text = text.next(u, Integer.MAX_VALUE);
            if (text == null) {
                return -1;
            }
        }
        return text.count();
    }
}
