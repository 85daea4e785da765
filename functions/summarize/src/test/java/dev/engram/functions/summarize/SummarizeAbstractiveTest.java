package dev.engram.functions.summarize;

import static dev.engram.functions.summarize.Summaries.summarize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.LanguageModel;
import dev.engram.inference.models.Models;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.tenant.Tenant;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Abstractive summaries on stories260K (context 512): a text five times the context is map-reduced
 * with every prompt within the context; greedy output is deterministic; sessions record the exchange.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class SummarizeAbstractiveTest {
    static final int CONTEXT = 512;

    @Inject
    Models models;

    @Inject
    SessionStore sessions;

    /**
     * A TinyStories-like text of at least {@code tokens} tokens: one varied little story per paragraph.
     * Counted paragraph by paragraph (the tokenizer is slow on long inputs), which is exact at paragraph
     * boundaries to within a token or so; 10% over the target covers that.
     */
    static String longText(LanguageModel model, int tokens) {
        String[] names = {"Lily", "Tom", "Sue", "Ben", "Mia", "Max", "Anna", "Sam"};
        String[] things = {"ball", "kite", "cat", "boat", "cake", "tree", "dog", "hat"};
        StringBuilder text = new StringBuilder();
        int counted = 0;
        for (int i = 0; counted < tokens * 1.1; i++) {
            String name = names[i % names.length];
            String thing = things[(i / names.length + i) % things.length];
            String paragraph =
                    name + " had a big " + thing + ". " + name + " liked to play with the " + thing + " in the park. "
                            + "One day the " + thing + " was lost, and " + name + " was very sad. "
                            + "A friend helped to look for it, and they found it under a bench. " + name
                            + " was happy again and said thank you.";
            counted += model.countTokens(paragraph);
            text.append(paragraph).append("\n\n");
        }
        return text.toString();
    }

    @Test
    void aTextFiveTimesTheContextIsMapReducedWithEveryPromptInTheContext() {
        LanguageModel model = models.get();
        String text = longText(model, 5 * CONTEXT);

        int maxTokens = 32;
        JsonPath answer = summarize("text", text, "maxTokens", maxTokens);
        List<Map<String, Object>> steps = answer.getList("steps");
        int chunks = answer.getInt("chunks");
        assertThat(chunks).isGreaterThan(1);
        assertThat(steps.stream().filter(s -> "map".equals(s.get("stage")))).hasSize(chunks);
        assertThat(steps.getLast().get("stage")).isEqualTo("reduce");
        for (Map<String, Object> step : steps) {
            int prompt = (Integer) step.get("promptTokens");
            int completion = (Integer) step.get("completionTokens");
            assertThat(prompt + maxTokens)
                    .as("step %s", step)
                    .isLessThanOrEqualTo(model.contextLength())
                    .isLessThanOrEqualTo(CONTEXT);
            assertThat(completion).isBetween(0, maxTokens);
        }
        assertThat(answer.getInt("usage.promptTokens"))
                .isEqualTo(steps.stream()
                        .mapToInt(s -> (Integer) s.get("promptTokens"))
                        .sum());
        assertThat(answer.getInt("usage.completionTokens"))
                .isEqualTo(steps.stream()
                        .mapToInt(s -> (Integer) s.get("completionTokens"))
                        .sum());
        assertThat(answer.getString("summary")).isNotBlank();
        assertThat(answer.getString("model")).isEqualTo("stories260K");
        assertThat(answer.getDouble("timings.totalMs")).isPositive();
        System.out.printf(
                "map-reduce: %d chunks, %d steps, summary: %s%n", chunks, steps.size(), answer.getString("summary"));
    }

    @Test
    void longSummariesReduceOverSeveralLevelsAndStillFit() {
        LanguageModel model = models.get();
        String text = longText(model, 5 * CONTEXT);
        int maxTokens = 126; // the largest allowed: a quarter of the usable context
        JsonPath answer = summarize("text", text, "maxTokens", maxTokens);
        List<Map<String, Object>> steps = answer.getList("steps");
        for (Map<String, Object> step : steps) {
            assertThat((Integer) step.get("promptTokens") + maxTokens)
                    .as("step %s", step)
                    .isLessThanOrEqualTo(model.contextLength());
        }
        int levels =
                steps.stream().mapToInt(s -> (Integer) s.get("level")).max().orElseThrow();
        System.out.printf(
                "map-reduce at maxTokens %d: %d chunks, %d steps, %d reduce levels%n",
                maxTokens, answer.getInt("chunks"), steps.size(), levels);
        assertThat(answer.getInt("chunks")).isGreaterThan(4);
        assertThat(levels)
                .as("partial summaries were combined over more than one level")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void greedySummariesAreDeterministic() {
        String text = longText(models.get(), 2 * CONTEXT);
        JsonPath first = summarize("text", text, "maxTokens", 24, "style", "bullets");
        JsonPath second = summarize("text", text, "maxTokens", 24, "style", "bullets");
        assertThat(second.getString("summary")).isEqualTo(first.getString("summary"));
        assertThat(second.getList("steps")).isEqualTo(first.getList("steps"));
        assertThat(first.getString("summary").lines()).allMatch(l -> l.startsWith("- "));
    }

    @Test
    void aShortTextIsOneStep() {
        JsonPath answer =
                summarize("text", "Lily had a red ball. She played with it in the park all day.", "maxTokens", 16);
        assertThat(answer.getInt("chunks")).isEqualTo(1);
        assertThat(answer.getList("steps")).hasSize(1);
        assertThat(answer.getString("steps[0].stage")).isEqualTo("single");
        assertThat(answer.getInt("usage.completionTokens")).isBetween(1, 16);
        assertThat(answer.getString("mode")).isEqualTo("abstractive");
    }

    @Test
    void aSessionRecordsTheExchangeWithLongInputsShortened() {
        String text = longText(models.get(), 2 * CONTEXT);
        JsonPath answer = summarize("text", text, "maxTokens", 16, "sessionId", "sum-1");
        assertThat(answer.getInt("memory.turns")).isEqualTo(2);
        JsonPath extractive = summarize("text", text, "mode", "extractive", "maxSentences", 1, "sessionId", "sum-1");
        assertThat(extractive.getInt("memory.turns")).isEqualTo(4);

        Session stored = sessions.peek(Tenant.DEFAULT.id(), "sum-1");
        assertThat(stored.turns().get(0).text())
                .startsWith("Summarise: Lily had a big")
                .endsWith("[…]");
        assertThat(stored.turns().get(0).tokens()).isLessThanOrEqualTo(CONTEXT / 8);
        assertThat(stored.turns().get(1).text()).isEqualTo(answer.getString("summary"));
        assertThat(stored.turns().get(3).text()).isEqualTo(extractive.getString("summary"));
    }
}
