package dev.engram.testing;

import dev.engram.inference.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A byte-level vocabulary of any size for structured-output tests and measurements: id 0 is BOS and
 * id 1 EOS (control tokens), ids 2-257 the 256 single bytes, then multi-byte pieces of the kinds a
 * real vocabulary has — words with and without a leading space, JSON punctuation runs, digit groups,
 * accented and CJK characters, whole and split — drawn from a fixed seed. Only the bytes matter here;
 * {@link #encode} spells text byte by byte.
 */
public class SyntheticVocabulary implements Tokenizer {
    private static final String[] WORDS =
            ("the a of and to in is was it for on with as his he she they name age id title email "
                            + "score tags status items user true false null value text count type key data list kind quantity price")
                    .split(" ");
    private static final String PUNCTUATION = "{}[]\":, \\";

    private final byte[][] pieces;

    public SyntheticVocabulary(int size, long seed) {
        Random random = new Random(seed);
        Set<String> multi = new LinkedHashSet<>();
        List<byte[]> all = new ArrayList<>();
        all.add(new byte[0]);
        all.add(new byte[0]);
        for (int b = 0; b < 256; b++) {
            all.add(new byte[] {(byte) b});
        }
        while (all.size() < size) {
            String piece = switch (random.nextInt(6)) {
                case 0 ->
                    (random.nextBoolean() ? " " : "")
                            + WORDS[random.nextInt(WORDS.length)]
                            + (random.nextInt(3) == 0 ? WORDS[random.nextInt(WORDS.length)] : "");
                case 1 -> {
                    StringBuilder run = new StringBuilder();
                    for (int n = 2 + random.nextInt(3); n > 0; n--) {
                        run.append(PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
                    }
                    yield run.toString();
                }
                case 2 -> Integer.toString(random.nextInt(1000));
                case 3 ->
                    new String(Character.toChars(0xC0 + random.nextInt(0x300))) + (random.nextBoolean() ? "s" : "");
                case 4 -> new String(Character.toChars(0x4E00 + random.nextInt(0x2000)));
                default -> randomLetters(random);
            };
            if (multi.add(piece) && piece.getBytes(StandardCharsets.UTF_8).length > 1) {
                byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
                // Some pieces are a character's first bytes only, as byte-level BPE vocabularies have.
                all.add(
                        bytes.length > 2 && random.nextInt(8) == 0
                                ? java.util.Arrays.copyOf(bytes, bytes.length - 1)
                                : bytes);
            }
        }
        this.pieces = all.toArray(byte[][]::new);
    }

    private static String randomLetters(Random random) {
        StringBuilder letters = new StringBuilder(random.nextBoolean() ? " " : "");
        for (int n = 2 + random.nextInt(6); n > 0; n--) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }

    @Override
    public int size() {
        return pieces.length;
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = 2 + (bytes[i] & 0xFF);
        }
        return ids;
    }

    @Override
    public int[] encodeWithSpecialTokens(String text) {
        return encode(text);
    }

    @Override
    public byte[] bytes(int token) {
        return pieces[token].clone();
    }

    @Override
    public boolean isControl(int token) {
        return token < 2;
    }

    @Override
    public int bos() {
        return 0;
    }

    @Override
    public boolean addBos() {
        return true;
    }

    @Override
    public Set<Integer> endTokens() {
        return Set.of(1);
    }

    @Override
    public boolean addsSpacePrefix() {
        return false;
    }
}
