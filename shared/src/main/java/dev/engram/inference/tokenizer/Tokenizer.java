package dev.engram.inference.tokenizer;

import java.util.Set;

/**
 * A model's vocabulary and the rules that split text into its token ids, read from the model's own
 * files (a Hugging Face {@code tokenizer.json} or a GGUF file's {@code tokenizer.ggml.*} metadata).
 * Implementations are immutable and thread-safe.
 */
public interface Tokenizer {

    /** Number of token ids (the model's vocabulary size may be larger; ids past this are never produced). */
    int size();

    /**
     * The ids of {@code text} as plain text: no BOS, and a special token's spelling in the text (for
     * example {@code <|eot_id|>}) is split like any other text, so callers' input cannot forge control
     * tokens.
     */
    int[] encode(String text);

    /**
     * Like {@link #encode}, but the spellings of control, user-defined and unknown tokens become those
     * tokens (the longest spelling wins where several start at one place): for text the engine rendered
     * itself from a chat template. Plain text after such a token gets the dummy space prefix again, as
     * in llama.cpp and Hugging Face.
     */
    int[] encodeWithSpecialTokens(String text);

    /**
     * The bytes {@code token} stands for in decoded text: a piece's UTF-8 (a SentencePiece {@code ▁}
     * as a space, a byte-level piece mapped back to its bytes), a byte-fallback token's single byte,
     * and nothing for control, unknown and unused tokens. A multi-byte character may be split over
     * several tokens.
     */
    byte[] bytes(int token);

    /** Whether {@code token} is a control token (BOS, EOS, chat markers) that never appears as text. */
    boolean isControl(int token);

    /** The beginning-of-sequence token, or -1 when the model has none. */
    int bos();

    /** Whether prompts start with {@link #bos()}. */
    boolean addBos();

    /** Tokens that end a generation (EOS, end-of-turn). */
    Set<Integer> endTokens();

    /**
     * Whether the tokenizer puts a space in front of the text it encodes (SentencePiece's dummy
     * prefix): the first generated piece after BOS then loses its leading space when decoded.
     */
    boolean addsSpacePrefix();
}
