package dev.engram.inference.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The word-by-word encoder gives exactly Jlama's ids on stories260K's real tokenizer. */
class WordwiseEncoderTest {
    private static final String[] WORDS = {
        "Once",
        "upon",
        "a",
        "time,",
        "there",
        "was",
        "little",
        "girl",
        "named",
        "Lily.",
        "She",
        "loved",
        "to",
        "play",
        "outside",
        "\"Hello!\"",
        "said",
        "the",
        "cat",
        "café",
        "über",
        "naïve",
        "中文",
        "🙂",
        "1234",
        "e.g.",
        "—",
        "it's",
        "(yes)",
        "<s>x",
        "tab\there",
        "line\nbreak",
        "",
        "Mr.",
        "?!"
    };
    private static final String[] GAPS = {" ", " ", " ", " ", "  ", "   ", "\n", " \n ", "\t", "\n\n"};

    static LlamaTokenizer jlama;
    static WordwiseEncoder encoder;

    @BeforeAll
    static void load() {
        Path dir = TestModels.stories260K();
        jlama = new LlamaTokenizer(dir);
        encoder = new WordwiseEncoder(jlama);
    }

    @Test
    void theSentencePieceVocabularyIsEncodedWordByWord() {
        assertThat(encoder.wordwise()).isTrue();
    }

    @Test
    void referencePromptsGiveJlamasIds() {
        for (ReferenceCases.Case c : ReferenceCases.load(TestModels.stories260K())) {
            assertThat(encoder.encode(c.prompt())).as(c.prompt()).containsExactly(jlama.encode(c.prompt()));
        }
    }

    @Test
    void edgeCasesGiveJlamasIds() {
        for (String text : List.of(
                "",
                " ",
                "  ",
                "a",
                " a",
                "a ",
                " a ",
                "a b",
                "a  b",
                " a  b ",
                "\n",
                "a\nb",
                "<s> a b",
                "a <s> b",
                "a</s>",
                "  leading and trailing  ",
                "one\ttwo three",
                "x" + " ".repeat(9) + "y")) {
            assertThat(encoder.encode(text)).as("'%s'", text).containsExactly(jlama.encode(text));
        }
    }

    @Test
    void randomTextsGiveJlamasIds() {
        Random random = new Random(42);
        for (int n = 0; n < 300; n++) {
            String text = randomText(random, 1 + random.nextInt(n < 290 ? 40 : 400));
            assertThat(encoder.encode(text)).as("'%s'", text).containsExactly(jlama.encode(text));
        }
    }

    @Test
    void theSecondEncodingOfATextComesFromTheCacheAndIsEqual() {
        String text = randomText(new Random(7), 60);
        long[] first = encoder.encode(text);
        assertThat(encoder.encode(text)).containsExactly(first).containsExactly(jlama.encode(text));
    }

    private static String randomText(Random random, int words) {
        List<String> parts = new ArrayList<>();
        if (random.nextInt(5) == 0) {
            parts.add(GAPS[random.nextInt(GAPS.length)]);
        }
        for (int i = 0; i < words; i++) {
            parts.add(WORDS[random.nextInt(WORDS.length)]);
            parts.add(GAPS[random.nextInt(GAPS.length)]);
        }
        if (random.nextBoolean()) {
            parts.removeLast();
        }
        return String.join("", parts);
    }
}
