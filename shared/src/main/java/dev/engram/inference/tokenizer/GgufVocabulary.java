package dev.engram.inference.tokenizer;

import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufValue;
import dev.engram.inference.gguf.GgufWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tokenizer.ggml.*} metadata of a GGUF file, read into a {@link Vocabulary} and written from
 * one. Model {@code llama} is a SentencePiece vocabulary ranked by scores, {@code gpt2} a byte-level one
 * ranked by merges with the pre-tokenizer {@code tokenizer.ggml.pre}. As in llama.cpp, the end tokens
 * are EOS, EOT and EOM plus control tokens spelled like an end of turn; when written, end tokens
 * beyond EOS become EOT and EOM (by spelling where it tells which).
 */
public final class GgufVocabulary {
    private static final String PREFIX = "tokenizer.ggml.";
    /** Control tokens that end a turn in the chat formats llama.cpp knows (it stops on these too). */
    private static final Set<String> END_OF_TURN =
            Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>");

    private static final String END_OF_MESSAGE = "<|eom_id|>";
    /** What GGUF files store for "no such token" in a UINT32. */
    private static final long NONE = 0xFFFF_FFFFL;

    private GgufVocabulary() {}

    /** The vocabulary of {@code file}; missing or inconsistent metadata is refused with the key named. */
    public static Vocabulary read(GgufFile file) {
        String model = file.getString(PREFIX + "model");
        boolean sentencePiece = switch (model) {
            case "llama" -> true;
            case "gpt2" -> false;
            default ->
                throw new IllegalArgumentException(file.path().getFileName() + ": tokenizer model '" + model
                        + "' is not supported (llama and gpt2 are)");
        };
        List<String> pieces = file.getStrings(PREFIX + "tokens");
        int size = pieces.size();
        List<TokenType> types = new ArrayList<>(size);
        if (file.has(PREFIX + "token_type")) {
            int[] typeIds = file.getInts(PREFIX + "token_type");
            sized(typeIds.length, size, "token_type");
            try {
                for (int id : typeIds) {
                    types.add(TokenType.byId(id));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(PREFIX + "token_type: " + e.getMessage(), e);
            }
        } else {
            pieces.forEach(p -> types.add(
                    sentencePiece && HuggingFaceVocabulary.isBytePiece(p) ? TokenType.BYTE : TokenType.NORMAL));
        }
        float[] scores = null;
        if (sentencePiece) {
            scores = file.has(PREFIX + "scores") ? file.getFloats(PREFIX + "scores") : new float[size];
            sized(scores.length, size, "scores");
        }
        List<Merge> merges = new ArrayList<>();
        if (!sentencePiece || file.has(PREFIX + "merges")) {
            file.getStrings(PREFIX + "merges").forEach(m -> merges.add(Merge.parse(m)));
        }
        String pre = sentencePiece ? null : file.findString(PREFIX + "pre").orElse("default");
        int bos = id(file, "bos_token_id", sentencePiece ? 1 : -1, size);
        int eos = id(file, "eos_token_id", sentencePiece ? 2 : -1, size);
        int unknown = id(file, "unknown_token_id", sentencePiece ? 0 : -1, size);
        Set<Integer> ends = new LinkedHashSet<>();
        for (int id : List.of(eos, id(file, "eot_token_id", -1, size), id(file, "eom_token_id", -1, size))) {
            if (id >= 0) {
                ends.add(id);
            }
        }
        for (int id = 0; id < size; id++) {
            String piece = pieces.get(id);
            if (types.get(id) == TokenType.CONTROL && (END_OF_TURN.contains(piece) || END_OF_MESSAGE.equals(piece))) {
                ends.add(id);
            }
        }
        if (unknown >= 0 && types.get(unknown) == TokenType.NORMAL) {
            types.set(unknown, TokenType.UNKNOWN);
        }
        boolean addBos = file.boolOr(PREFIX + "add_bos_token", sentencePiece || SplitPatterns.ignoresMerges(pre));
        boolean addSpacePrefix = sentencePiece && file.boolOr(PREFIX + "add_space_prefix", true);
        try {
            return new Vocabulary(
                    sentencePiece ? Vocabulary.Kind.SENTENCEPIECE : Vocabulary.Kind.BYTE_LEVEL,
                    pieces,
                    types,
                    scores,
                    sentencePiece ? List.of() : merges,
                    pre,
                    sentencePiece ? null : SplitPatterns.forName(pre),
                    SplitPatterns.ignoresMerges(pre),
                    false,
                    bos,
                    eos,
                    unknown,
                    id(file, "padding_token_id", -1, size),
                    ends,
                    addBos,
                    file.boolOr(PREFIX + "add_eos_token", false),
                    addSpacePrefix);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file.path().getFileName() + ": tokenizer metadata " + e.getMessage(), e);
        }
    }

    private static int sized(int length, int size, String key) {
        if (length != size) {
            throw new IllegalArgumentException(PREFIX + key + " has " + length + " entries for " + size + " tokens");
        }
        return length;
    }

    private static int id(GgufFile file, String key, int otherwise, int size) {
        String fullKey = PREFIX + key;
        if (!file.has(fullKey)) {
            return otherwise < size ? otherwise : -1;
        }
        long id = file.getLong(fullKey) == NONE ? -1 : file.getLong(fullKey);
        if (id < -1 || id >= size) {
            throw new IllegalArgumentException(
                    file.path().getFileName() + ": " + fullKey + " is " + id + ", outside the vocabulary of " + size);
        }
        return (int) id;
    }

    /** Writes {@code vocabulary} as llama.cpp reads it. */
    public static void write(Vocabulary vocabulary, GgufWriter writer) {
        boolean sentencePiece = vocabulary.kind() == Vocabulary.Kind.SENTENCEPIECE;
        writer.putString(PREFIX + "model", sentencePiece ? "llama" : "gpt2");
        if (!sentencePiece) {
            writer.putString(PREFIX + "pre", vocabulary.preTokenizer() == null ? "default" : vocabulary.preTokenizer());
        }
        writer.put(PREFIX + "tokens", GgufValue.strings(vocabulary.pieces()));
        if (sentencePiece) {
            writer.put(
                    PREFIX + "scores",
                    GgufValue.float32s(
                            vocabulary.scores() != null ? vocabulary.scores() : scoresFromRanks(vocabulary)));
        }
        writer.put(
                PREFIX + "token_type",
                GgufValue.int32s(
                        vocabulary.types().stream().mapToInt(TokenType::id).toArray()));
        if (!sentencePiece) {
            writer.put(
                    PREFIX + "merges",
                    GgufValue.strings(
                            vocabulary.merges().stream().map(Merge::spaced).toList()));
        }
        Map<String, Integer> ids = new HashMap<>();
        ids.put("bos_token_id", vocabulary.bos());
        ids.put("eos_token_id", vocabulary.eos());
        ids.put("unknown_token_id", vocabulary.unknown());
        ids.put("padding_token_id", vocabulary.padding());
        endOfTurnIds(vocabulary, ids);
        for (String key : List.of(
                "bos_token_id",
                "eos_token_id",
                "unknown_token_id",
                "padding_token_id",
                "eot_token_id",
                "eom_token_id")) {
            if (ids.getOrDefault(key, -1) >= 0) {
                writer.putUint32(PREFIX + key, ids.get(key));
            }
        }
        writer.putBool(PREFIX + "add_bos_token", vocabulary.addBos());
        writer.putBool(PREFIX + "add_eos_token", vocabulary.addEos());
        if (sentencePiece) {
            writer.putBool(PREFIX + "add_space_prefix", vocabulary.addSpacePrefix());
        }
    }

    /** End tokens other than EOS: spelled like an end of message -> EOM; the others, end-of-turn spellings first -> EOT, then EOM. */
    private static void endOfTurnIds(Vocabulary vocabulary, Map<String, Integer> ids) {
        List<Integer> others = vocabulary.endTokens().stream()
                .filter(id -> id != vocabulary.eos())
                .sorted(Comparator.comparing((Integer id) ->
                                !END_OF_TURN.contains(vocabulary.pieces().get(id)))
                        .thenComparing(id -> id))
                .toList();
        for (int id : others) {
            boolean message = END_OF_MESSAGE.equals(vocabulary.pieces().get(id));
            String key = message || ids.containsKey("eot_token_id") ? "eom_token_id" : "eot_token_id";
            ids.putIfAbsent(key, id);
        }
    }

    /**
     * SentencePiece scores that rank merges as a merge list does: a piece made by merges scores minus
     * the rank of its first merge; a piece no merge makes scores below all of them.
     */
    static float[] scoresFromRanks(Vocabulary vocabulary) {
        Map<String, Integer> firstRank = new HashMap<>();
        List<Merge> merges = vocabulary.merges();
        for (int rank = 0; rank < merges.size(); rank++) {
            firstRank.putIfAbsent(merges.get(rank).left() + merges.get(rank).right(), rank);
        }
        float[] scores = new float[vocabulary.size()];
        for (int id = 0; id < scores.length; id++) {
            Integer rank = firstRank.get(vocabulary.pieces().get(id));
            scores[id] = rank != null ? -rank : -merges.size();
        }
        return scores;
    }
}
