package dev.engram.inference.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The textbook BPE algorithm, written independently of the production code for comparison: read the
 * tokenizer.json itself, start from characters (or bytes), and repeatedly merge the adjacent pair of
 * lowest merge rank, leftmost first, rescanning the whole word after every merge (quadratic; fine for
 * test strings). No special tokens.
 */
final class TextbookBpe {
    private final Map<String, Integer> vocab = new HashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final boolean byteLevel;
    private final boolean ignoreMerges;
    private final boolean nfc;
    private final Pattern split;

    TextbookBpe(Path tokenizerJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(tokenizerJson.toFile());
        root.path("model")
                .path("vocab")
                .properties()
                .forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
        int rank = 0;
        for (JsonNode merge : root.path("model").path("merges")) {
            String key =
                    merge.isArray() ? merge.get(0).asText() + " " + merge.get(1).asText() : merge.asText();
            ranks.putIfAbsent(key, rank++);
        }
        byteLevel = root.toString().contains("\"ByteLevel\"");
        ignoreMerges = root.path("model").path("ignore_merges").asBoolean(false);
        nfc = root.path("normalizer").path("type").asText("").equals("NFC");
        String regex = root.path("pre_tokenizer").findValue("Regex") == null
                ? null
                : root.path("pre_tokenizer").findValue("Regex").asText();
        split = regex == null ? null : Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    }

    List<Integer> encode(String text) {
        List<Integer> ids = new ArrayList<>();
        if (!byteLevel) {
            word(symbolsOf("\u2581" + text.replace(' ', '\u2581')), ids);
            return ids;
        }
        Matcher m = split.matcher(nfc ? java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC) : text);
        while (m.find()) {
            StringBuilder mapped = new StringBuilder();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
                mapped.append(byteChar(b & 0xFF));
            }
            if (ignoreMerges && vocab.containsKey(mapped.toString())) {
                ids.add(vocab.get(mapped.toString()));
                continue;
            }
            List<String> symbols = new ArrayList<>();
            mapped.codePoints().forEach(cp -> symbols.add(Character.toString(cp)));
            word(symbols, ids);
        }
        return ids;
    }

    private List<String> symbolsOf(String text) {
        List<String> symbols = new ArrayList<>();
        text.codePoints().forEach(cp -> {
            String c = Character.toString(cp);
            if (vocab.containsKey(c)) {
                symbols.add(c);
            } else {
                for (byte b : c.getBytes(StandardCharsets.UTF_8)) {
                    symbols.add(String.format("<0x%02X>", b & 0xFF));
                }
            }
        });
        return symbols;
    }

    private void word(List<String> symbols, List<Integer> out) {
        while (true) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
        }
        symbols.forEach(s -> out.add(vocab.get(s)));
    }

    /** GPT-2's byte alphabet, computed the way its encoder.py describes it. */
    static char byteChar(int b) {
        int extra = 0;
        for (int i = 0; i < 256; i++) {
            boolean printable = (i >= 33 && i <= 126) || (i >= 161 && i <= 172) || (i >= 174 && i <= 255);
            if (i == b) {
                return printable ? (char) i : (char) (256 + extra);
            }
            if (!printable) {
                extra++;
            }
        }
        throw new IllegalArgumentException();
    }
}
