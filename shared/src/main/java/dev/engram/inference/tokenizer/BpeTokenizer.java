package dev.engram.inference.tokenizer;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@link Tokenizer} of a BPE {@link Vocabulary}, both kinds over one merge core: SentencePiece
 * style (spaces become {@code ▁}, a dummy space prefix, characters outside the vocabulary become
 * {@code <0xNN>} byte tokens) and byte-level (text split into words by the vocabulary's regex, each
 * word's UTF-8 bytes spelled in GPT-2's byte alphabet). Merges follow the ranked merge list, or for a
 * SentencePiece vocabulary without one the score of the merged piece, as llama.cpp does. Encoding
 * takes O(n log n) in the length of the text. Immutable and thread-safe.
 */
public final class BpeTokenizer implements Tokenizer {
    private static final String SPACE_MARK = "\u2581";
    private static final int CACHE_LIMIT = 1 << 16;
    private static final int CACHED_WORD_LIMIT = 64;

    private final Vocabulary vocabulary;
    private final boolean sentencePiece;
    private final Map<String, Integer> textIds = new HashMap<>();
    private final int[] byteTokens = new int[256];
    private final byte[][] decoded;
    private final BpeMerger merger;
    private final SpecialTokenMatcher specials;
    private final Pattern split;
    private final Map<String, int[]> wordCache = new ConcurrentHashMap<>();

    public BpeTokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.sentencePiece = vocabulary.kind() == Vocabulary.Kind.SENTENCEPIECE;
        List<String> pieces = vocabulary.pieces();
        List<TokenType> types = vocabulary.types();
        Arrays.fill(byteTokens, -1);
        decoded = new byte[pieces.size()][];
        for (int id = 0; id < pieces.size(); id++) {
            String piece = pieces.get(id);
            TokenType type = types.get(id);
            if (type == TokenType.NORMAL || type == TokenType.USER_DEFINED) {
                textIds.putIfAbsent(piece, id);
            }
            if (type == TokenType.BYTE && HuggingFaceVocabulary.isBytePiece(piece)) {
                int b = Integer.parseInt(piece.substring(3, 5), 16);
                byteTokens[b] = byteTokens[b] < 0 ? id : byteTokens[b];
            }
            decoded[id] = decode(piece, type);
        }
        if (!sentencePiece) {
            for (int b = 0; b < 256; b++) {
                byteTokens[b] = textIds.getOrDefault(String.valueOf(ByteLevelAlphabet.charOf(b)), -1);
            }
        }
        this.merger = vocabulary.merges().isEmpty() ? mergerFromScores(vocabulary) : mergerFromRanks(vocabulary);
        this.specials = new SpecialTokenMatcher(pieces, types);
        this.split = sentencePiece ? null : SplitPatterns.compile(vocabulary.splitPattern());
    }

    private byte[] decode(String piece, TokenType type) {
        return switch (type) {
            case CONTROL, UNKNOWN, UNUSED -> new byte[0];
            case BYTE ->
                HuggingFaceVocabulary.isBytePiece(piece)
                        ? new byte[] {(byte) Integer.parseInt(piece.substring(3, 5), 16)}
                        : piece.getBytes(StandardCharsets.UTF_8);
            case USER_DEFINED ->
                (sentencePiece ? piece.replace(SPACE_MARK, " ") : piece).getBytes(StandardCharsets.UTF_8);
            case NORMAL ->
                sentencePiece
                        ? piece.replace(SPACE_MARK, " ").getBytes(StandardCharsets.UTF_8)
                        : ByteLevelAlphabet.bytesOf(piece);
        };
    }

    private BpeMerger mergerFromRanks(Vocabulary vocabulary) {
        BpeMerger.Builder builder = new BpeMerger.Builder();
        List<Merge> merges = vocabulary.merges();
        for (int rank = 0; rank < merges.size(); rank++) {
            Merge merge = merges.get(rank);
            Integer left = textIds.get(merge.left());
            Integer right = textIds.get(merge.right());
            Integer merged = textIds.get(merge.left() + merge.right());
            if (left != null && right != null && merged != null) {
                builder.add(left, right, merged, rank);
            }
        }
        return builder.build();
    }

    /** Every split of every piece into two pieces is a merge, ranked by the score of the whole (higher first). */
    private BpeMerger mergerFromScores(Vocabulary vocabulary) {
        float[] scores = vocabulary.scores();
        TreeSet<Float> distinct = new TreeSet<>();
        for (float score : scores) {
            distinct.add(score);
        }
        Map<Float, Integer> rankOf = new HashMap<>();
        distinct.descendingSet().forEach(score -> rankOf.put(score, rankOf.size()));
        BpeMerger.Builder builder = new BpeMerger.Builder();
        for (Map.Entry<String, Integer> entry : textIds.entrySet()) {
            String piece = entry.getKey();
            int rank = rankOf.get(scores[entry.getValue()]);
            for (int i = piece.offsetByCodePoints(0, 1); i < piece.length(); i = piece.offsetByCodePoints(i, 1)) {
                Integer left = textIds.get(piece.substring(0, i));
                Integer right = textIds.get(piece.substring(i));
                if (left != null && right != null) {
                    builder.add(left, right, entry.getValue(), rank);
                }
            }
        }
        return builder.build();
    }

    /** The vocabulary this tokenizer was built from. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int size() {
        return decoded.length;
    }

    @Override
    public int[] encode(String text) {
        IntList out = new IntList(text.length() / 3);
        encodeText(text, true, out);
        return out.toArray();
    }

    @Override
    public int[] encodeWithSpecialTokens(String text) {
        IntList out = new IntList(text.length() / 3);
        specials.split(text, new SpecialTokenMatcher.Visitor() {
            private boolean first = true;

            @Override
            public void text(String run, boolean afterSpecial) {
                encodeText(run, first || afterSpecial, out);
                first = false;
            }

            @Override
            public void special(int id) {
                out.add(id);
                first = false;
            }
        });
        return out.toArray();
    }

    /** Encodes plain text; {@code startsSegment}: it begins the input or follows a special token (where the dummy prefix goes). */
    private void encodeText(String text, boolean startsSegment, IntList out) {
        if (text.isEmpty()) {
            return;
        }
        if (vocabulary.normalizeNfc()) {
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
        }
        if (sentencePiece) {
            String marked =
                    (vocabulary.addSpacePrefix() && startsSegment ? SPACE_MARK : "") + text.replace(" ", SPACE_MARK);
            int[] symbols = new int[marked.length() * 3]; // UTF-8 takes at most 3 bytes per UTF-16 unit
            int n = 0;
            for (int i = 0; i < marked.length(); ) {
                int cp = marked.codePointAt(i);
                int width = Character.charCount(cp);
                Integer id = textIds.get(marked.substring(i, i + width));
                if (id != null) {
                    symbols[n++] = id;
                } else {
                    n = byteFallback(marked.substring(i, i + width), symbols, n);
                }
                i += width;
            }
            merger.merge(symbols, n, out);
            return;
        }
        if (vocabulary.addSpacePrefix() && startsSegment && !text.startsWith(" ")) {
            text = " " + text;
        }
        Matcher words = split.matcher(text);
        int end = 0;
        while (words.find()) {
            if (words.start() > end) {
                encodeWord(
                        text.substring(end, words.start()), out); // text no alternative matched stays a word of its own
            }
            if (words.end() > words.start()) {
                encodeWord(words.group(), out);
            }
            end = words.end();
        }
        if (end < text.length()) {
            encodeWord(text.substring(end), out);
        }
    }

    /** A character outside the vocabulary: its UTF-8 bytes as byte tokens, else the unknown token. */
    private int byteFallback(String character, int[] symbols, int n) {
        byte[] utf8 = character.getBytes(StandardCharsets.UTF_8);
        boolean all = true;
        for (byte b : utf8) {
            all &= byteTokens[b & 0xFF] >= 0;
        }
        if (all) {
            for (byte b : utf8) {
                symbols[n++] = byteTokens[b & 0xFF];
            }
        } else if (vocabulary.unknown() >= 0) {
            symbols[n++] = vocabulary.unknown();
        }
        return n;
    }

    private void encodeWord(String word, IntList out) {
        if (word.length() > CACHED_WORD_LIMIT) {
            out.addAll(mergeWord(word));
            return;
        }
        int[] ids = wordCache.get(word);
        if (ids == null) {
            ids = mergeWord(word);
            if (wordCache.size() >= CACHE_LIMIT) {
                wordCache.clear(); // bounded; a text's common words come straight back
            }
            wordCache.put(word, ids);
        }
        out.addAll(ids);
    }

    private int[] mergeWord(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        if (vocabulary.ignoreMerges()) {
            StringBuilder spelled = new StringBuilder(utf8.length);
            for (byte b : utf8) {
                spelled.append(ByteLevelAlphabet.charOf(b));
            }
            Integer whole = textIds.get(spelled.toString());
            if (whole != null) {
                return new int[] {whole};
            }
        }
        int[] symbols = new int[utf8.length];
        int n = 0;
        for (byte b : utf8) {
            int id = byteTokens[b & 0xFF] >= 0 ? byteTokens[b & 0xFF] : vocabulary.unknown();
            if (id >= 0) {
                symbols[n++] = id;
            }
        }
        IntList out = new IntList(n);
        merger.merge(symbols, n, out);
        return out.toArray();
    }

    @Override
    public byte[] bytes(int token) {
        return decoded[Objects.checkIndex(token, decoded.length)].clone();
    }

    @Override
    public boolean isControl(int token) {
        return vocabulary.types().get(Objects.checkIndex(token, decoded.length)) == TokenType.CONTROL;
    }

    @Override
    public int bos() {
        return vocabulary.bos();
    }

    @Override
    public boolean addBos() {
        return vocabulary.addBos() && vocabulary.bos() >= 0;
    }

    @Override
    public Set<Integer> endTokens() {
        return vocabulary.endTokens();
    }

    @Override
    public boolean addsSpacePrefix() {
        return sentencePiece && vocabulary.addSpacePrefix();
    }
}
