package dev.engram.inference.decoding;

import dev.engram.inference.tokenizer.Tokenizer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns one generation's tokens into text as they come: a character split over several tokens (byte
 * fallback, byte-level pieces) is released once complete, invalid UTF-8 becomes U+FFFD, and the space
 * a SentencePiece tokenizer puts in front of a text is dropped from a first piece that follows BOS.
 */
public final class TextDecoder {
    private final Tokenizer tokenizer;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(64);
    private final CharBuffer out = CharBuffer.allocate(128);
    private int previous;

    /** A decoder for tokens that follow {@code lastPromptToken}. */
    public TextDecoder(Tokenizer tokenizer, int lastPromptToken) {
        this.tokenizer = tokenizer;
        this.previous = lastPromptToken;
    }

    /** The text {@code token} completes (empty while a character is still incomplete). */
    public String next(int token) {
        byte[] bytes = tokenizer.bytes(token);
        int from = 0;
        if (tokenizer.addsSpacePrefix() && previous == tokenizer.bos() && bytes.length > 0 && bytes[0] == ' ') {
            from = 1;
        }
        previous = token;
        StringBuilder text = new StringBuilder();
        for (int i = from; i < bytes.length; i++) {
            pending.put(bytes[i]);
            pending.flip();
            out.clear();
            utf8.decode(pending, out, false);
            pending.compact();
            out.flip();
            text.append(out);
        }
        return text.toString();
    }
}
