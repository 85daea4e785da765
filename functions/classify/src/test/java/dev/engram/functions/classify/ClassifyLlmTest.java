package dev.engram.functions.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.inference.Prompt;
import dev.engram.inference.engine.EngramEngine;
import dev.engram.inference.models.Models;
import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.memory.session.Turn;
import dev.engram.tasks.classify.ClassifyLabel;
import dev.engram.tasks.classify.ClassifyPrompts;
import dev.engram.tenant.Tenant;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import dev.engram.testing.TokenByToken;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** llm mode through HTTP on the real model, checked against the engine's token-by-token path. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class ClassifyLlmTest {
    static final String TEXT = "Lily found a little puppy in the park. She gave it a hug and they played all day.";
    static final List<String> LABELS = List.of("happy", "sad", "a dog story", "the sea");

    @Inject
    Models models;

    @Inject
    SessionStore sessions;

    @Test
    void scoresEqualTheTokenByTokenLogLikelihoods() {
        JsonPath answer = Classify.post("text", TEXT, "labels", LABELS, "mode", "llm");
        assertThat(answer.getString("mode")).isEqualTo("llm");
        EngramEngine engine = (EngramEngine) models.get();
        Prompt prompt = ClassifyPrompts.prompt(
                engine, TEXT, LABELS.stream().map(ClassifyLabel::of).toList());
        List<String> continuations = ClassifyPrompts.continuations(
                engine, LABELS.stream().map(ClassifyLabel::of).toList());
        int[] promptTokens = engine.encodePrompt(prompt);
        int scoredTokens = 0;
        for (int i = 0; i < LABELS.size(); i++) {
            int[] full = engine.encodePrompt(engine.render(prompt) + continuations.get(i));
            int shared = commonPrefix(promptTokens, full);
            int tokens = full.length - shared;
            double expected = TokenByToken.logProb(engine.model(), full, shared) / tokens;
            Map<String, Object> scored = labelEntry(answer, LABELS.get(i));
            assertThat(((Number) scored.get("logProb")).doubleValue())
                    .as(LABELS.get(i))
                    .isCloseTo(expected, within(1e-4));
            assertThat(scored.get("tokens")).isEqualTo(tokens);
            scoredTokens += tokens;
        }
        assertThat(answer.getInt("usage.promptTokens")).isEqualTo(promptTokens.length);
        assertThat(answer.getInt("usage.completionTokens")).isEqualTo(scoredTokens);
    }

    @Test
    void probabilitiesAreASoftmaxOfTheScoresSortedAndSumToOne() {
        JsonPath answer = Classify.post("text", TEXT, "labels", LABELS, "mode", "llm");
        List<Map<String, Object>> labels = answer.getList("labels");
        assertThat(labels).hasSize(LABELS.size());
        double sum = labels.stream()
                .mapToDouble(l -> ((Number) l.get("score")).doubleValue())
                .sum();
        assertThat(sum).isCloseTo(1.0, within(1e-5));
        double norm = labels.stream()
                .mapToDouble(l -> Math.exp(((Number) l.get("logProb")).doubleValue()))
                .sum();
        for (int i = 0; i < labels.size(); i++) {
            double score = ((Number) labels.get(i).get("score")).doubleValue();
            assertThat(score)
                    .isCloseTo(Math.exp(((Number) labels.get(i).get("logProb")).doubleValue()) / norm, within(1e-5));
            if (i > 0) {
                assertThat(score)
                        .isLessThanOrEqualTo(((Number) labels.get(i - 1).get("score")).doubleValue());
            }
        }
        assertThat(answer.getString("label"))
                .isEqualTo(labels.getFirst().get("label"))
                .isIn(LABELS);
        assertThat(answer.getString("model")).isEqualTo(models.get().name());
        assertThat(answer.getDouble("timings.promptMs")).isPositive();
        assertThat(answer.getDouble("timings.totalMs")).isGreaterThanOrEqualTo(answer.getDouble("timings.promptMs"));
    }

    @Test
    void sameRequestSameAnswer() {
        JsonPath first = Classify.post("text", TEXT, "labels", LABELS, "mode", "llm");
        JsonPath second = Classify.post("text", TEXT, "labels", LABELS, "mode", "llm");
        assertThat(second.getList("labels")).isEqualTo(first.getList("labels"));
        assertThat(second.getString("label")).isEqualTo(first.getString("label"));
    }

    @Test
    void multiLabelScoresAreIndependentAndTheThresholdPicksTheLabels() {
        JsonPath answer =
                Classify.post("text", TEXT, "labels", LABELS, "mode", "llm", "multiLabel", true, "threshold", 0.5);
        List<Map<String, Object>> labels = answer.getList("labels");
        List<String> above = labels.stream()
                .filter(l -> ((Number) l.get("score")).doubleValue() >= 0.5)
                .map(l -> (String) l.get("label"))
                .toList();
        assertThat(answer.getList("label", String.class)).isEqualTo(above).isNotEmpty();
        double mean = labels.stream()
                .mapToDouble(l -> ((Number) l.get("logProb")).doubleValue())
                .average()
                .orElseThrow();
        for (Map<String, Object> l : labels) {
            double expected = 1 / (1 + Math.exp(-(((Number) l.get("logProb")).doubleValue() - mean)));
            assertThat(((Number) l.get("score")).doubleValue()).isCloseTo(expected, within(1e-5));
        }
        JsonPath none =
                Classify.post("text", TEXT, "labels", LABELS, "mode", "llm", "multiLabel", true, "threshold", 1.0);
        assertThat(none.getList("label")).isEmpty();
    }

    @Test
    void labelObjectsWithDescriptionsAreScoredByName() {
        JsonPath answer = Classify.post(
                "text",
                TEXT,
                "mode",
                "llm",
                "labels",
                List.of(
                        Map.of("name", "happy", "description", "the story ends well"),
                        Map.of("name", "sad", "description", "the story ends badly")));
        assertThat(answer.getList("labels.label", String.class)).containsExactlyInAnyOrder("happy", "sad");
        assertThat(answer.getString("label")).isIn("happy", "sad");
    }

    @Test
    void theSharedPromptIsComputedOnceForAllLabels() {
        List<String> ten = List.of("happy", "sad", "dog", "cat", "park", "sea", "king", "ball", "tree", "cake");
        JsonPath two = Classify.post("text", TEXT, "labels", ten.subList(0, 2), "mode", "llm");
        JsonPath all = Classify.post("text", TEXT, "labels", ten, "mode", "llm");
        // The prompt names the labels, so it grows a little with them; it is still counted (and run) once.
        int prompt = all.getInt("usage.promptTokens");
        int labelTokens = all.getInt("usage.completionTokens");
        assertThat(labelTokens).isBetween(ten.size(), 3 * ten.size());
        assertThat(prompt + labelTokens)
                .as("positions run for ten labels")
                .isLessThan(3 * (two.getInt("usage.promptTokens") + 1));
        assertThat(all.getDouble("timings.labelsMs")).isPositive();
    }

    @Test
    void aSessionRecordsTheTextAndTheAnswer() {
        JsonPath answer = Classify.post("text", TEXT, "labels", LABELS, "mode", "llm", "sessionId", "classify-1");
        assertThat(answer.getInt("memory.turns")).isEqualTo(2);
        Session stored = sessions.peek(Tenant.DEFAULT.id(), "classify-1");
        assertThat(stored.turns()).extracting(Turn::text).containsExactly(TEXT, answer.getString("label"));
        JsonPath embedded = Classify.post(
                "text",
                "It rained all day.",
                "labels",
                List.of("weather", "food"),
                "mode",
                "embedding",
                "sessionId",
                "classify-1");
        assertThat(embedded.getInt("memory.turns")).isEqualTo(4);
    }

    static Map<String, Object> labelEntry(JsonPath answer, String label) {
        List<Map<String, Object>> labels = answer.getList("labels");
        return labels.stream()
                .filter(l -> label.equals(l.get("label")))
                .findFirst()
                .orElseThrow();
    }

    static int commonPrefix(int[] a, int[] b) {
        int i = 0;
        while (i < Math.min(a.length, b.length) && a[i] == b[i]) {
            i++;
        }
        return i;
    }
}
