package dev.engram.bench;

import dev.engram.inference.LanguageModel;
import dev.engram.testing.synthetic.SyntheticModel;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * The prompts both sides of a ratio run: text for the engine, and the same token ids (BOS first, as
 * the engine feeds them) for llama.cpp. Prefill prompts are exactly their size in tokens.
 *
 * @param decode the prompt greedy decoding continues
 * @param prefill one prompt per prefill size, smallest first
 */
record Prompts(Prompt decode, List<Prompt> prefill) {
    static final String TEXT = "The history of the city begins with a small harbour where traders met each spring";

    /** Text and the ids the engine turns it into. */
    record Prompt(String text, int[] ids) {
        int tokens() {
            return ids.length;
        }
    }

    /** Tokenized by {@code engine}: the synthetic models all share one vocabulary, so the ids hold for every format. */
    static Prompts of(LanguageModel engine, int[] prefillSizes) {
        return new Prompts(
                prompt(engine, TEXT),
                IntStream.of(prefillSizes)
                        .mapToObj(n -> prompt(engine, ofTokens(n, t -> 1 + engine.tokenize(t).length)))
                        .toList());
    }

    private static Prompt prompt(LanguageModel engine, String text) {
        int[] body = engine.tokenize(text);
        int[] ids = new int[body.length + 1];
        ids[0] = SyntheticModel.BOS;
        System.arraycopy(body, 0, ids, 1, body.length);
        return new Prompt(text, ids);
    }

    /** A text of exactly {@code tokens} tokens by {@code count}: words of {@link #TEXT} repeated, then trimmed. */
    static String ofTokens(int tokens, ToIntFunction<String> count) {
        String[] words = TEXT.split(" ");
        StringBuilder text = new StringBuilder();
        for (int i = 0; count.applyAsInt(text.toString()) < tokens; i++) {
            text.append(words[i % words.length]).append(' ');
        }
        while (text.length() > 1 && count.applyAsInt(text.toString()) > tokens) {
            text.setLength(text.length() - 1);
        }
        return text.toString();
    }
}
