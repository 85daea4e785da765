package dev.engram.inference.tokenizer;

/**
 * What a vocabulary entry is, with GGUF's numbering ({@code tokenizer.ggml.token_type}): ordinary text
 * pieces, the unknown token, control tokens (BOS, EOS, chat markers), user-defined tokens (matched
 * whole in rendered text but decoded as text), unused slots and byte-fallback tokens {@code <0xNN>}.
 */
public enum TokenType {
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    private final int id;

    TokenType(int id) {
        this.id = id;
    }

    /** The number GGUF files use. */
    public int id() {
        return id;
    }

    /** The type numbered {@code id}; an unknown number is refused with the number named. */
    public static TokenType byId(int id) {
        for (TokenType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown token type " + id);
    }

    /** Whether {@code encodeWithSpecialTokens} matches this type's spellings whole. */
    boolean matchedWhole() {
        return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
    }
}
