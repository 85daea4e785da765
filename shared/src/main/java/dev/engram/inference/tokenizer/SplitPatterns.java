package dev.engram.inference.tokenizer;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The regular expressions byte-level tokenizers split text with before merging, by llama.cpp's
 * pre-tokenizer name ({@code tokenizer.ggml.pre}), and the way back from a tokenizer.json Split
 * pattern to that name. Patterns are compiled with Unicode character classes, so {@code \s},
 * {@code \p{L}} and {@code \p{N}} mean what they mean in Hugging Face's tokenizers.
 */
final class SplitPatterns {
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** llama.cpp's names for the patterns (several names share one). */
    private static final Map<String, String> BY_NAME = Map.of(
            "default",
            GPT2,
            "gpt2",
            GPT2,
            "gpt-2",
            GPT2,
            "llama-bpe",
            LLAMA3,
            "llama3",
            LLAMA3,
            "llama-v3",
            LLAMA3,
            "qwen2",
            QWEN2);

    private SplitPatterns() {}

    /** The pattern llama.cpp uses for {@code name}; names it does not know fall back to GPT-2's, as llama.cpp does. */
    static String forName(String name) {
        return BY_NAME.getOrDefault(name == null ? "default" : name, GPT2);
    }

    /** Whether llama.cpp's Llama 3 pre-tokenizer (which skips merging for whole-piece words) is named. */
    static boolean ignoresMerges(String name) {
        return name != null && Set.of("llama-bpe", "llama3", "llama-v3").contains(name);
    }

    /** The llama.cpp name of {@code pattern}, if it is one of the known patterns. */
    static Optional<String> nameOf(String pattern) {
        if (pattern.equals(LLAMA3)) {
            return Optional.of("llama-bpe");
        }
        if (pattern.equals(QWEN2)) {
            return Optional.of("qwen2");
        }
        return pattern.equals(GPT2) ? Optional.of("gpt2") : Optional.empty();
    }

    static Pattern compile(String pattern) {
        return Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS);
    }
}
