package dev.engram.inference.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small byte-level BPE tokenizer with real merges, trained here on a fixed text the way GPT-2's BPE
 * is trained (count adjacent pairs inside pre-tokenized words, merge the most frequent, repeat), and
 * written as a Llama-3-style (or Qwen2-style) Hugging Face directory: tokenizer.json with a Split regex
 * and ByteLevel, special tokens, tokenizer_config.json with a chat template, config.json with its end tokens.
 */
public final class ByteLevelFixture {
    public static final String LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    public static final String QWEN2_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    public static final List<String> SPECIALS = List.of(
            "<|begin_of_text|>",
            "<|end_of_text|>",
            "<|start_header_id|>",
            "<|end_header_id|>",
            "<|eot_id|>",
            "<|im_start|>",
            "<|im_end|>");
    private static final String CORPUS = """
            Once upon a time, there was a little girl named Lily. She loved to play outside in the park.
            One day, she saw a big, red ball. She wanted to play with it, but it was too high.
            Lily's mom said, "Lily, let's go to the park." Lily was sad and didn't know what to do.
            The dog was a big, red ball. He liked to play with his ball. They're happy; we'll see, I'm sure you've won.
            In 2024 the price rose 12.5% to $1,234,567 -- numbers like 3.14159 and 1000000 appear too.
            def encode(self, text): return [self.vocab[t] for t in text.split(" ")]  # code, too
            Café naïve résumé Ünïcödé ñandú — “quoted” ‘single’ … ellipsis.
            日本語のテキスト、中文字符，Привет мир, مرحبا بالعالم, שלום עולם, ελληνικά γράμματα.
            Emoji: 🦙 👍🏽 😀 🇺🇸 and tabs\tand  double  spaces   and newlines

            and carriage returns\r\n end.
            """;

    private ByteLevelFixture() {}

    /** Writes the tokenizer files into {@code dir} with {@code merges} merges learned from the corpus. */
    public static void write(Path dir, String pattern, boolean nfc, int mergeCount, String chatTemplate)
            throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(String.valueOf(TextbookBpe.byteChar(b)), vocab.size());
        }
        List<List<String>> merges = train(pattern, mergeCount, vocab);
        Map<String, Object> tokenizer = new LinkedHashMap<>();
        tokenizer.put("version", "1.0");
        List<Map<String, Object>> added = new ArrayList<>();
        for (String special : SPECIALS) {
            added.add(Map.of(
                    "id",
                    vocab.size() + added.size(),
                    "content",
                    special,
                    "single_word",
                    false,
                    "lstrip",
                    false,
                    "rstrip",
                    false,
                    "normalized",
                    false,
                    "special",
                    true));
        }
        tokenizer.put("added_tokens", added);
        tokenizer.put("normalizer", nfc ? Map.of("type", "NFC") : null);
        tokenizer.put(
                "pre_tokenizer",
                Map.of(
                        "type",
                        "Sequence",
                        "pretokenizers",
                        List.of(
                                Map.of(
                                        "type",
                                        "Split",
                                        "pattern",
                                        Map.of("Regex", pattern),
                                        "behavior",
                                        "Isolated",
                                        "invert",
                                        false),
                                Map.of(
                                        "type",
                                        "ByteLevel",
                                        "add_prefix_space",
                                        false,
                                        "trim_offsets",
                                        true,
                                        "use_regex",
                                        false))));
        tokenizer.put(
                "post_processor",
                Map.of(
                        "type",
                        "Sequence",
                        "processors",
                        List.of(
                                Map.of(
                                        "type",
                                        "ByteLevel",
                                        "add_prefix_space",
                                        true,
                                        "trim_offsets",
                                        false,
                                        "use_regex",
                                        true),
                                Map.of(
                                        "type",
                                        "TemplateProcessing",
                                        "single",
                                        List.of(
                                                Map.of("SpecialToken", Map.of("id", "<|begin_of_text|>", "type_id", 0)),
                                                Map.of("Sequence", Map.of("id", "A", "type_id", 0)))))));
        tokenizer.put(
                "decoder",
                Map.of("type", "ByteLevel", "add_prefix_space", true, "trim_offsets", true, "use_regex", true));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", true);
        model.put("vocab", vocab);
        model.put("merges", merges);
        tokenizer.put("model", model);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(dir.resolve("tokenizer.json"), json.writeValueAsString(tokenizer));
        int eot = vocab.size() + SPECIALS.indexOf("<|eot_id|>");
        int end = vocab.size() + SPECIALS.indexOf("<|end_of_text|>");
        Map<String, Object> config = new LinkedHashMap<>(
                Map.of("model_type", "llama", "bos_token_id", vocab.size(), "eos_token_id", List.of(end, eot)));
        Files.writeString(dir.resolve("config.json"), json.writeValueAsString(config));
        Map<String, Object> tokenizerConfig = new LinkedHashMap<>();
        tokenizerConfig.put("bos_token", "<|begin_of_text|>");
        tokenizerConfig.put("eos_token", "<|eot_id|>");
        if (chatTemplate != null) {
            tokenizerConfig.put("chat_template", chatTemplate);
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), json.writeValueAsString(tokenizerConfig));
    }

    private static List<List<String>> train(String pattern, int mergeCount, Map<String, Integer> vocab) {
        Map<List<String>, Integer> words = new HashMap<>();
        Matcher m = Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS).matcher(CORPUS);
        while (m.find()) {
            List<String> symbols = new ArrayList<>();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
                symbols.add(String.valueOf(TextbookBpe.byteChar(b & 0xFF)));
            }
            words.merge(symbols, 1, Integer::sum);
        }
        List<List<String>> merges = new ArrayList<>();
        for (int round = 0; round < mergeCount; round++) {
            TreeMap<String, Integer> pairs = new TreeMap<>(); // sorted: ties go to the smallest pair, deterministically
            words.forEach((symbols, count) -> {
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    pairs.merge(symbols.get(i) + " " + symbols.get(i + 1), count, Integer::sum);
                }
            });
            if (pairs.isEmpty()) {
                break;
            }
            String best = pairs.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
            Merge merge = Merge.parse(best);
            merges.add(List.of(merge.left(), merge.right()));
            vocab.putIfAbsent(merge.left() + merge.right(), vocab.size());
            Map<List<String>, Integer> merged = new HashMap<>();
            words.forEach((symbols, count) -> {
                List<String> next = new ArrayList<>();
                for (int i = 0; i < symbols.size(); i++) {
                    if (i + 1 < symbols.size()
                            && symbols.get(i).equals(merge.left())
                            && symbols.get(i + 1).equals(merge.right())) {
                        next.add(merge.left() + merge.right());
                        i++;
                    } else {
                        next.add(symbols.get(i));
                    }
                }
                merged.merge(next, count, Integer::sum);
            });
            words = merged;
        }
        return merges;
    }
}
