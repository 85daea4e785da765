package dev.engram.inference.tokenizer;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a BPE tokenizer is built from, whichever file it was read from (a Hugging Face
 * {@code tokenizer.json} with its config files, or a GGUF file's {@code tokenizer.ggml.*} metadata),
 * and what a GGUF exporter writes: the pieces and their types by id, the merge priorities (ranked
 * {@code merges}, or SentencePiece {@code scores} when there are no merges), the pre-tokenizer of a
 * byte-level vocabulary, and the special ids and flags.
 *
 * @param kind            SentencePiece-style ({@code ▁} for spaces, byte fallback) or byte-level (GPT-2's byte mapping)
 * @param pieces          the piece of each id
 * @param types           the type of each id
 * @param scores          SentencePiece scores by id (higher merges first), or null
 * @param merges          merge rules, highest priority first; empty when the scores rank merges
 * @param preTokenizer    byte-level only: llama.cpp's pre-tokenizer name ({@code llama-bpe}, {@code qwen2}, {@code gpt2}, ...)
 * @param splitPattern    byte-level only: the regular expression that splits text into words
 * @param ignoreMerges    byte-level only: a word that is a whole piece becomes that piece without merging (Llama 3)
 * @param normalizeNfc    whether text is put in Unicode NFC before splitting (Qwen2's tokenizer.json)
 * @param bos             the beginning-of-sequence id, or -1
 * @param eos             the end-of-sequence id, or -1
 * @param unknown         the unknown-token id, or -1
 * @param padding         the padding id, or -1
 * @param endTokens       the ids that end a generation (EOS, end of turn, ...)
 * @param addBos          whether prompts start with BOS
 * @param addEos          whether encoded text ends with EOS (for embedding models; never for generation)
 * @param addSpacePrefix  SentencePiece only: whether text gets a leading space (the dummy prefix)
 */
public record Vocabulary(
        Kind kind,
        List<String> pieces,
        List<TokenType> types,
        float[] scores,
        List<Merge> merges,
        String preTokenizer,
        String splitPattern,
        boolean ignoreMerges,
        boolean normalizeNfc,
        int bos,
        int eos,
        int unknown,
        int padding,
        Set<Integer> endTokens,
        boolean addBos,
        boolean addEos,
        boolean addSpacePrefix) {

    /** The two families of BPE vocabularies. */
    public enum Kind {
        /** SentencePiece BPE: spaces as {@code ▁}, unknown characters as byte tokens {@code <0xNN>} (Llama 2, Mistral). */
        SENTENCEPIECE,
        /** Byte-level BPE: every byte mapped to a printable character, text split by a regex first (Llama 3, Qwen2, GPT-2). */
        BYTE_LEVEL
    }

    public Vocabulary {
        Objects.requireNonNull(kind, "kind");
        pieces = List.copyOf(pieces);
        types = List.copyOf(types);
        merges = List.copyOf(merges);
        endTokens = Set.copyOf(endTokens);
        if (types.size() != pieces.size() || (scores != null && scores.length != pieces.size())) {
            throw new IllegalArgumentException("the vocabulary has " + pieces.size() + " pieces but " + types.size()
                    + " types" + (scores == null ? "" : " and " + scores.length + " scores"));
        }
        if (kind == Kind.SENTENCEPIECE && scores == null && merges.isEmpty()) {
            throw new IllegalArgumentException("a SentencePiece vocabulary needs scores or merges");
        }
        if (kind == Kind.BYTE_LEVEL && (splitPattern == null || merges.isEmpty())) {
            throw new IllegalArgumentException("a byte-level vocabulary needs merges and a split pattern");
        }
        for (int id : List.of(bos, eos, unknown, padding)) {
            checkId(id, pieces.size(), true);
        }
        for (int id : endTokens) {
            checkId(id, pieces.size(), false);
        }
        scores = scores == null ? null : scores.clone();
    }

    private static void checkId(int id, int size, boolean optional) {
        if ((id != -1 || !optional) && (id < 0 || id >= size)) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + size);
        }
    }

    @Override
    public float[] scores() {
        return scores == null ? null : scores.clone();
    }

    /** The number of ids. */
    public int size() {
        return pieces.size();
    }
}
