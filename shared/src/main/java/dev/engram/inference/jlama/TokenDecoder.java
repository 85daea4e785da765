package dev.engram.inference.jlama;

import com.github.tjake.jlama.safetensors.tokenizer.TokenizerModel;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns generated token ids into text, one token at a time, for one generation.
 *
 * <p>Jlama's own {@code Tokenizer.decode(id)} keeps a shared 4-byte buffer (not thread-safe) and
 * mis-assembles multi-byte UTF-8 split over byte-fallback tokens. Here each token becomes bytes
 * (a {@code <0xNN>} byte-fallback piece, a byte-level piece, or a SentencePiece piece with
 * {@code ▁} as space) and an incremental UTF-8 decoder emits only complete characters.
 */
final class TokenDecoder {
    private static final Pattern BYTE_PIECE = Pattern.compile("<0x([0-9A-Fa-f]{2})>");
    private static final String SPACE_MARK = "\u2581";

    private final TokenizerModel vocabulary;
    private final boolean byteLevel;
    private final boolean dummyPrefix;
    private final int bosToken;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(64);
    private final CharBuffer out = CharBuffer.allocate(64);
    private int previous = -1;

    TokenDecoder(TokenizerModel vocabulary, int bosToken) {
        this.vocabulary = vocabulary;
        this.bosToken = bosToken;
        // GPT-2 style vocabularies (Llama 3, Qwen) spell raw bytes as shifted code points.
        this.byteLevel = vocabulary.isLegacy() && !vocabulary.byteFallback;
        this.dummyPrefix = hasDummyPrefix(vocabulary);
    }

    /** Starts a new sequence whose last prompt token was {@code lastPromptToken}. */
    TokenDecoder startAfter(int lastPromptToken) {
        previous = lastPromptToken;
        pending.clear();
        utf8.reset();
        return this;
    }

    /** The text this token completes (possibly empty while a multi-byte character is incomplete). */
    String next(int token) {
        byte[] bytes = bytesOf(token);
        // SentencePiece adds a space in front of the text when encoding; it is not part of the answer
        // when the text starts right after BOS (llama2.c and transformers both drop it).
        if (dummyPrefix && previous == bosToken && bytes.length > 0 && bytes[0] == ' ') {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        previous = token;
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            pending.put(b);
            pending.flip();
            out.clear();
            utf8.decode(pending, out, false);
            pending.compact();
            out.flip();
            text.append(out);
        }
        return text.toString();
    }

    /** The bytes {@code token} stands for (nothing for special tokens): shared with {@link JlamaTokenizer}. */
    byte[] bytesOf(int token) {
        if (vocabulary.isSpecialToken(token)) {
            return new byte[0];
        }
        String piece = vocabulary.vocabLookup.inverse().get((long) token);
        if (piece == null) {
            return new byte[0];
        }
        if (vocabulary.byteFallback) {
            Matcher m = BYTE_PIECE.matcher(piece);
            if (m.matches()) {
                return new byte[] {(byte) Integer.parseInt(m.group(1), 16)};
            }
        }
        if (byteLevel) {
            byte[] bytes = new byte[piece.length()];
            int n = 0;
            for (int i = 0; i < piece.length(); ) {
                int cp = piece.codePointAt(i);
                i += Character.charCount(cp);
                Integer raw = ByteLevel.byteOf(cp);
                if (raw == null) {
                    // Not a byte-level code point (an added token's text): keep it as UTF-8.
                    byte[] utf = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length + utf.length);
                    System.arraycopy(utf, 0, bytes, n, utf.length);
                    n += utf.length;
                } else {
                    bytes[n++] = (byte) (int) raw;
                }
            }
            return java.util.Arrays.copyOf(bytes, n);
        }
        return piece.replace(SPACE_MARK, " ").getBytes(StandardCharsets.UTF_8);
    }

    boolean dummyPrefix() {
        return dummyPrefix;
    }

    private static boolean hasDummyPrefix(TokenizerModel vocabulary) {
        TokenizerModel.Normalizer normalizer = vocabulary.normalizer();
        if (normalizer == null || normalizer.normalizerItems == null) {
            return false;
        }
        return normalizer.normalizerItems.stream()
                .anyMatch(item -> "Prepend".equals(item.type) && SPACE_MARK.equals(item.prepend));
    }

    /** GPT-2's reversible byte to printable code point table. */
    static final class ByteLevel {
        private static final int[] CODE_POINT_TO_BYTE = new int[512];

        static {
            java.util.Arrays.fill(CODE_POINT_TO_BYTE, -1);
            int shifted = 256;
            for (int b = 0; b < 256; b++) {
                boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
                CODE_POINT_TO_BYTE[printable ? b : shifted++] = b;
            }
        }

        static Integer byteOf(int codePoint) {
            if (codePoint < 0 || codePoint >= CODE_POINT_TO_BYTE.length || CODE_POINT_TO_BYTE[codePoint] < 0) {
                return null;
            }
            return CODE_POINT_TO_BYTE[codePoint];
        }
    }
}
