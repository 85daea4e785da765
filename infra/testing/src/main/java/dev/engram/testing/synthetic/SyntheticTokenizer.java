package dev.engram.testing.synthetic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * Builds a Llama-2-style (SentencePiece BPE with byte fallback) {@code tokenizer.json} for a
 * vocabulary of any size from {@link #MIN_VOCAB} to {@link #MAX_VOCAB}.
 *
 * <p>Layout: ids 0..2 are {@code <unk> <s> </s>}; ids 3..258 are the byte pieces {@code <0x00>..<0xFF>};
 * ids 259..353 are the single symbols {@code ▁} (the SentencePiece space) and printable ASCII
 * {@code !..~}, so a space or ASCII character {@code c} is id {@code 259 + (c - 32)}. The rest are
 * pairs, then triples, of those symbols, each with the merge that builds it; pairs and triples are
 * enumerated over the symbols in rough English-frequency order, so the first ones are the common
 * ones and encoding compresses text about like a real vocabulary.
 *
 * <p>Every ASCII character has its own piece on purpose: Jlama 0.8.4's {@code BPETokenizer.decode}
 * buffers byte-fallback tokens of "identifier" characters (letters, digits) until four bytes have
 * arrived, so ASCII text encoded as byte tokens would not decode back. Only non-ASCII text falls
 * back to bytes (and round-trips only as well as Jlama's decoder allows).
 */
final class SyntheticTokenizer {
    static final int BYTE_OFFSET = 3;
    static final String SPACE = "\u2581";
    /** Specials, bytes and the 95 single symbols: below this an ASCII character could miss a piece. */
    static final int MIN_VOCAB = BYTE_OFFSET + 256 + 95;
    /** Specials, bytes, singles, all pairs and all triples. */
    static final int MAX_VOCAB = BYTE_OFFSET + 256 + 95 + 95 * 95 + 95 * 95 * 95;

    private static final String FREQUENT_FIRST =
            SPACE + "etaoinshrdlcumwfgypbvkjxqz" + "ETAOINSHRDLCUMWFGYPBVKJXQZ" + ".,'\"-0123456789?!:;()";

    private SyntheticTokenizer() {}

    /** The whole tokenizer.json document, ready for a JSON writer (insertion-ordered maps). */
    static Map<String, Object> document(int vocabSize) {
        if (vocabSize < MIN_VOCAB || vocabSize > MAX_VOCAB) {
            throw new IllegalArgumentException(
                    "vocab must be in [" + MIN_VOCAB + ", " + MAX_VOCAB + "], got " + vocabSize);
        }
        Map<String, Long> vocab = new LinkedHashMap<>();
        List<List<String>> merges = new ArrayList<>();
        for (String special : List.of("<unk>", "<s>", "</s>")) {
            vocab.put(special, (long) vocab.size());
        }
        for (int b = 0; b < 256; b++) {
            vocab.put(String.format("<0x%02X>", b), (long) vocab.size());
        }
        vocab.put(SPACE, (long) vocab.size());
        for (char c = '!'; c <= '~'; c++) {
            vocab.put(String.valueOf(c), (long) vocab.size());
        }
        List<String> symbols = symbolsByFrequency();
        List<String> pairs = new ArrayList<>();
        for (String left : symbols) {
            for (String right : symbols) {
                pairs.add(left + right);
                if (!addMerged(vocab, merges, left, right, vocabSize)) {
                    return document(vocab, merges);
                }
            }
        }
        for (String left : pairs) {
            for (String right : symbols) {
                if (!addMerged(vocab, merges, left, right, vocabSize)) {
                    return document(vocab, merges);
                }
            }
        }
        return document(vocab, merges);
    }

    /** Adds left+right unless it is already a piece (e.g. the triple "<s>"); false once the vocabulary is full. */
    private static boolean addMerged(
            Map<String, Long> vocab, List<List<String>> merges, String left, String right, int vocabSize) {
        if (vocab.size() >= vocabSize) {
            return false;
        }
        String merged = left + right;
        if (!vocab.containsKey(merged)) {
            vocab.put(merged, (long) vocab.size());
            merges.add(List.of(left, right));
        }
        return vocab.size() < vocabSize;
    }

    private static List<String> symbolsByFrequency() {
        SequencedSet<String> ordered = new LinkedHashSet<>();
        FREQUENT_FIRST.codePoints().forEach(cp -> ordered.add(Character.toString(cp)));
        for (char c = '!'; c <= '~'; c++) {
            ordered.add(String.valueOf(c));
        }
        return List.copyOf(ordered);
    }

    private static Map<String, Object> document(Map<String, Long> vocab, List<List<String>> merges) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", "1.0");
        doc.put("truncation", null);
        doc.put("padding", null);
        doc.put("added_tokens", List.of(special(0, "<unk>"), special(1, "<s>"), special(2, "</s>")));
        // As Llama 2: a leading space, and spaces as ▁, so "hello world" is "▁hello▁world".
        doc.put(
                "normalizer",
                ordered(
                        "type",
                        "Sequence",
                        "normalizers",
                        List.of(
                                ordered("type", "Prepend", "prepend", SPACE),
                                ordered("type", "Replace", "pattern", Map.of("String", " "), "content", SPACE))));
        doc.put("pre_tokenizer", null);
        doc.put("post_processor", postProcessor());
        doc.put(
                "decoder",
                ordered(
                        "type",
                        "Sequence",
                        "decoders",
                        List.of(
                                ordered("type", "Replace", "pattern", Map.of("String", SPACE), "content", " "),
                                Map.of("type", "ByteFallback"),
                                Map.of("type", "Fuse"),
                                ordered("type", "Strip", "content", " ", "start", 1, "stop", 0))));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", "<unk>");
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", true);
        model.put("byte_fallback", true);
        model.put("ignore_merges", false);
        model.put("vocab", vocab);
        model.put("merges", merges);
        doc.put("model", model);
        return doc;
    }

    /** Hugging Face's tokenizer adds {@code <s>} itself; Jlama ignores this and adds BOS in encodePrompt. */
    private static Map<String, Object> postProcessor() {
        Map<String, Object> bos = Map.of("SpecialToken", ordered("id", "<s>", "type_id", 0));
        return ordered(
                "type", "TemplateProcessing",
                "single", List.of(bos, Map.of("Sequence", ordered("id", "A", "type_id", 0))),
                "pair",
                        List.of(
                                bos,
                                Map.of("Sequence", ordered("id", "A", "type_id", 0)),
                                Map.of("SpecialToken", ordered("id", "<s>", "type_id", 1)),
                                Map.of("Sequence", ordered("id", "B", "type_id", 1))),
                "special_tokens", Map.of("<s>", ordered("id", "<s>", "ids", List.of(1), "tokens", List.of("<s>"))));
    }

    private static Map<String, Object> special(int id, String content) {
        return ordered(
                "id",
                id,
                "content",
                content,
                "single_word",
                false,
                "lstrip",
                false,
                "rstrip",
                false,
                "normalized",
                false,
                "special",
                true);
    }

    /**
     * A map that keeps the order of its key/value arguments, so the written JSON is stable
     * (Map.of with several entries iterates in an order that changes from one JVM run to the next).
     */
    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
