package dev.engram.inference.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Varied test strings: words, punctuation, digits, runs of spaces, newlines and tabs, accents, scripts without a vocabulary entry, emoji. */
final class TokenizerSamples {
    private static final String[] FRAGMENTS = {
        "Once",
        "upon",
        "a",
        "time",
        "there",
        "was",
        "a little",
        "girl",
        "named",
        "Lily",
        "The",
        "dog",
        "ball",
        "happy",
        "said",
        "Tim",
        "Timmy",
        "friend",
        "park",
        "they're",
        "I'm",
        "don't",
        "we'll",
        "IT'S",
        "you've",
        ",",
        ".",
        "!",
        "?",
        "\"",
        "'",
        "(",
        ")",
        "-",
        "--",
        "...",
        "…",
        ":",
        ";",
        "“quoted”",
        "’",
        "0",
        "7",
        "42",
        "1234567",
        "3.14",
        "2024-12-31",
        "100%",
        "$5",
        " ",
        "  ",
        "   ",
        "\n",
        "\n\n",
        "\t",
        " \n ",
        "\r\n",
        "é",
        "café",
        "naïve",
        "ñandú",
        "Ünïcödé",
        "日本語",
        "中文字符",
        "Привет",
        "مرحبا",
        "שלום",
        "ελληνικά",
        "🦙",
        "👍🏽",
        "🇺🇸",
        "emoji😀face",
        "\u00a0",
        "\u200a",
        "™",
        "€",
        "<",
        ">",
        "<s>",
        "</s>",
        "<unk>",
        "▁",
        "<0x41>"
    };

    private TokenizerSamples() {}

    static List<String> strings(int count) {
        Random random = new Random(2024);
        List<String> strings = new ArrayList<>();
        for (String fragment : FRAGMENTS) {
            strings.add(fragment);
        }
        while (strings.size() < count) {
            StringBuilder s = new StringBuilder();
            int parts = 1 + random.nextInt(12);
            for (int i = 0; i < parts; i++) {
                s.append(FRAGMENTS[random.nextInt(FRAGMENTS.length)]);
                if (random.nextInt(3) > 0) {
                    s.append(' ');
                }
            }
            strings.add(s.toString());
        }
        return strings;
    }
}
