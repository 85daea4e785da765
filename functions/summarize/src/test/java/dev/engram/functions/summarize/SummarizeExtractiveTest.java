package dev.engram.functions.summarize;

import static dev.engram.functions.summarize.Summaries.summarize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Extractive summaries: verbatim sentences, in document order, at most maxSentences, the key ones. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class SummarizeExtractiveTest {
    static final String STORY = """
            Tom had a small red boat. He took it to the lake every morning. The water was cold and clear.
            One day a big wind came and pushed the boat far away. Tom was sad and cried on the shore.

            A kind old fisherman saw Tom crying. He rowed out and brought the boat back. Tom said thank you and smiled.
            From that day on, Tom and the fisherman were good friends. They went fishing together every Sunday.
            """;

    /** Sentences in the order of the text, with where each starts. */
    static List<Integer> positions(String text, List<String> sentences) {
        List<Integer> at = new ArrayList<>();
        for (String sentence : sentences) {
            at.add(text.indexOf(sentence));
        }
        return at;
    }

    @Test
    void returnsVerbatimSentencesInDocumentOrderNoMoreThanAsked() {
        for (int max = 1; max <= 4; max++) {
            JsonPath answer = summarize("text", STORY, "mode", "extractive", "maxSentences", max, "style", "bullets");
            List<String> lines = answer.getString("summary").lines().toList();
            assertThat(lines).hasSize(max).allMatch(l -> l.startsWith("- "));
            List<String> sentences = lines.stream().map(l -> l.substring(2)).toList();
            List<Integer> at = positions(STORY, sentences);
            assertThat(at).as("every sentence occurs verbatim").doesNotContain(-1);
            assertThat(at).as("in document order").isSorted().doesNotHaveDuplicates();
            assertThat(answer.getString("mode")).isEqualTo("extractive");
            assertThat(answer.getInt("chunks")).isZero();
            assertThat(answer.getInt("usage.completionTokens")).isZero();
            assertThat(answer.getString("model"))
                    .as("the language model is not involved")
                    .isNull();
        }
    }

    @Test
    void paragraphStyleJoinsTheSentencesAndShortTextsComeBackWhole() {
        String two = "The sun was hot. Lily went to swim.";
        assertThat(summarize("text", two, "mode", "extractive", "maxSentences", 5)
                        .getString("summary"))
                .isEqualTo(two);
        String summary = summarize("text", STORY, "mode", "extractive", "maxSentences", 2)
                .getString("summary");
        assertThat(summary.lines()).hasSize(1);
        assertThat(STORY.replace("\n", " ")).contains(summary.split("(?<=\\.) ")[0]);
    }

    @Test
    void focusSteersThePick() {
        String text = "The bakery opened at six. Its bread was famous in the whole town. "
                + "The football club trained on the field behind the bakery. The team won the regional cup last season. "
                + "Every morning the baker made croissants and rye loaves.";
        String sport = summarize("text", text, "mode", "extractive", "maxSentences", 1, "focus", "football and sport")
                .getString("summary");
        String baking = summarize("text", text, "mode", "extractive", "maxSentences", 1, "focus", "baking bread")
                .getString("summary");
        assertThat(sport).containsAnyOf("football", "cup");
        assertThat(baking).containsAnyOf("bread", "croissants").doesNotContain("cup");
    }

    @Test
    void aSentenceRepeatingOneAlreadyPickedIsSkipped() {
        String text = "Anna works in her garden every day. The bus to town was late again. "
                + "Anna works in her garden every single day. Her tomatoes and beans grow tall in the garden. It rained on Monday.";
        List<String> picked = summarize("text", text, "mode", "extractive", "maxSentences", 2, "style", "bullets")
                .getString("summary")
                .lines()
                .map(l -> l.substring(2))
                .toList();
        assertThat(picked).hasSize(2);
        assertThat(picked.stream().filter(s -> s.startsWith("Anna works in her garden")))
                .hasSize(1);
    }

    @Test
    void picksMostLabelledKeySentences() throws IOException {
        List<List<String>> documents = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        List<String> marked = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/extractive-labelled.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (line.equals("---")) {
                    documents.add(sentences);
                    keys.add(marked);
                    sentences = new ArrayList<>();
                    marked = new ArrayList<>();
                } else if (line.startsWith("* ")) {
                    sentences.add(line.substring(2));
                    marked.add(line.substring(2));
                } else {
                    sentences.add(line);
                }
            }
        }
        documents.add(sentences);
        keys.add(marked);

        int hits = 0;
        int labelled = 0;
        int perfect = 0;
        for (int d = 0; d < documents.size(); d++) {
            String text = String.join(" ", documents.get(d));
            String summary = summarize("text", text, "mode", "extractive", "maxSentences", 2, "style", "bullets")
                    .getString("summary");
            List<String> picked = summary.lines().map(l -> l.substring(2)).toList();
            long found = keys.get(d).stream().filter(picked::contains).count();
            hits += (int) found;
            labelled += keys.get(d).size();
            perfect += found == keys.get(d).size() ? 1 : 0;
            System.out.printf(
                    "extractive doc %d: %d/%d key sentences picked: %s%n",
                    d, found, keys.get(d).size(), picked);
        }
        double recall = (double) hits / labelled;
        System.out.printf(
                "extractive labelled set: %d/%d key sentences (%.2f), %d/%d documents fully right%n",
                hits, labelled, recall, perfect, documents.size());
        assertThat(documents).hasSize(10);
        assertThat(recall).as("share of labelled key sentences picked").isGreaterThanOrEqualTo(0.7);
    }
}
