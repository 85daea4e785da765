package dev.engram.functions.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Embedding mode with the real MiniLM embedder, and how auto picks between the modes. */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class ClassifyEmbeddingTest {
    static final List<String> TOPICS = List.of("sports", "cooking", "weather", "technology");

    /** Written for this test: 11 short texts per topic, none naming its topic. */
    static final Map<String, List<String>> TEXTS = Map.of(
            "sports",
                    List.of(
                            "The striker scored twice in the second half and the crowd went wild.",
                            "She finished the marathon in under three hours.",
                            "The referee showed a red card after the foul.",
                            "Our team lost the basketball final by two points.",
                            "He hit a home run in the ninth inning.",
                            "The tennis match went to a fifth set tie-break.",
                            "The swimmer broke the world record in the 200 metres.",
                            "The coach picked a new goalkeeper for Saturday's game.",
                            "The cyclists climbed the mountain stage in heavy traffic of fans.",
                            "The quarterback threw a touchdown pass in the last minute.",
                            "The boxer won the title fight by knockout."),
            "cooking",
                    List.of(
                            "Chop the onions finely and fry them in butter until golden.",
                            "Bake the bread at 220 degrees for thirty minutes.",
                            "Whisk the eggs with sugar, then fold in the flour.",
                            "Simmer the tomato sauce with garlic and basil for an hour.",
                            "Season the steak with salt and pepper before grilling it.",
                            "Let the dough rest in the fridge overnight.",
                            "Roast the vegetables with olive oil and rosemary.",
                            "Stir the risotto slowly while adding warm stock.",
                            "Marinate the chicken in yogurt and spices for two hours.",
                            "Melt the chocolate gently over a pan of hot water.",
                            "Peel the potatoes and boil them in salted water."),
            "weather",
                    List.of(
                            "Heavy rain and strong winds are expected tomorrow afternoon.",
                            "It will be sunny with highs of thirty degrees.",
                            "A thick fog covered the valley this morning.",
                            "Snow is forecast for the mountains over the weekend.",
                            "A thunderstorm with hail swept across the city last night.",
                            "The temperature dropped below freezing overnight.",
                            "Clouds will clear by evening, leaving a cool dry night.",
                            "The hurricane is moving north along the coast.",
                            "Humidity will stay high with scattered showers.",
                            "A heatwave warning has been issued for the south.",
                            "Light drizzle and a chilly breeze are likely on Monday."),
            "technology",
                    List.of(
                            "The new phone has a faster processor and more memory.",
                            "Update your laptop's operating system to fix the security flaw.",
                            "The software engineers released a new version of the app.",
                            "This graphics card renders games at a high frame rate.",
                            "The company launched a cloud service for storing data.",
                            "Programmers wrote the server in Java and deployed it with containers.",
                            "The router's firmware supports the latest wifi standard.",
                            "Researchers trained a neural network on millions of images.",
                            "The database crashed because the disk ran out of space.",
                            "Her smartwatch syncs with the computer over bluetooth.",
                            "The startup built a chip that speeds up machine learning."));

    @ConfigProperty(name = "engram.classify.auto-margin")
    double autoMargin;

    @Test
    void topicAccuracyIsAtLeastEightyPercent() {
        int right = 0;
        int total = 0;
        List<String> wrong = new ArrayList<>();
        for (var topic : TEXTS.entrySet()) {
            for (String text : topic.getValue()) {
                JsonPath answer = Classify.post("text", text, "labels", TOPICS, "mode", "embedding");
                assertThat(answer.getString("mode")).isEqualTo("embedding");
                assertThat(answer.getString("model")).isEqualTo("all-MiniLM-L6-v2");
                double sum = answer.getList("labels.score", Float.class).stream()
                        .mapToDouble(Float::doubleValue)
                        .sum();
                assertThat(sum).isCloseTo(1.0, within(1e-5));
                total++;
                if (topic.getKey().equals(answer.getString("label"))) {
                    right++;
                } else {
                    wrong.add(text + " -> " + answer.getString("label"));
                }
            }
        }
        assertThat(total).isGreaterThanOrEqualTo(40);
        double accuracy = (double) right / total;
        System.out.printf("classify embedding accuracy: %d/%d = %.3f; wrong: %s%n", right, total, accuracy, wrong);
        assertThat(accuracy).as("wrong: %s", wrong).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void autoKeepsAClearEmbeddingAnswer() {
        String text = "Whisk the eggs with sugar, then fold in the flour.";
        JsonPath embedding = Classify.post("text", text, "labels", TOPICS, "mode", "embedding");
        assertThat(embedding.getDouble("margin")).isGreaterThanOrEqualTo(autoMargin);
        JsonPath auto = Classify.post("text", text, "labels", TOPICS);
        assertThat(auto.getString("mode")).isEqualTo("embedding");
        assertThat(auto.getString("label")).isEqualTo("cooking");
        assertThat(auto.getDouble("margin")).isEqualTo(embedding.getDouble("margin"));
        assertThat(auto.getInt("usage.promptTokens")).isZero();
    }

    @Test
    void autoAsksTheModelWhenTheMarginIsSmall() {
        // The embedder compares the descriptions, which say the same: a tie that only the model can break.
        String text = "The little girl smiled at her mom.";
        List<Map<String, String>> labels = List.of(
                Map.of("name", "happy", "description", "how the story feels"),
                Map.of("name", "sad", "description", "how the story feels"));
        JsonPath embedding = Classify.post("text", text, "labels", labels, "mode", "embedding");
        assertThat(embedding.getDouble("margin")).isLessThan(autoMargin).isLessThan(1e-6);
        JsonPath auto = Classify.post("text", text, "labels", labels, "mode", "auto");
        assertThat(auto.getString("mode")).isEqualTo("llm");
        assertThat(auto.getDouble("margin")).isEqualTo(embedding.getDouble("margin"));
        assertThat(auto.getInt("usage.promptTokens")).isPositive();
        JsonPath llm = Classify.post("text", text, "labels", labels, "mode", "llm");
        assertThat(auto.getList("labels.score")).isEqualTo(llm.getList("labels.score"));
        assertThat(auto.getString("label")).isEqualTo(llm.getString("label"));
    }

    @Test
    void autoKeepsTheEmbeddingWhenTheTextIsBeyondTheModelsContext() {
        String text = "He liked to play with his ball. ".repeat(80);
        List<Map<String, String>> tied = List.of(
                Map.of("name", "happy", "description", "how the story feels"),
                Map.of("name", "sad", "description", "how the story feels"));
        JsonPath auto = Classify.post("text", text, "labels", tied);
        assertThat(auto.getDouble("margin")).isLessThan(autoMargin);
        assertThat(auto.getString("mode")).isEqualTo("embedding");
        assertThat(auto.getString("model")).isEqualTo("all-MiniLM-L6-v2");
    }

    @Test
    void multiLabelEmbeddingPicksTheLabelsAboveTheThreshold() {
        JsonPath answer = Classify.post(
                "text",
                "The football match was cancelled because of the storm.",
                "labels",
                TOPICS,
                "mode",
                "embedding",
                "multiLabel",
                true,
                "threshold",
                0.5);
        assertThat(answer.getList("label", String.class))
                .contains("sports", "weather")
                .doesNotContain("cooking");
        JsonPath single = Classify.post(
                "text",
                "The football match was cancelled because of the storm.",
                "labels",
                TOPICS,
                "mode",
                "embedding");
        assertThat(answer.getDouble("margin")).isEqualTo(single.getDouble("margin"));
        assertThat(answer.getList("labels.similarity")).isEqualTo(single.getList("labels.similarity"));
    }

    @Test
    void descriptionsAreWhatTheEmbedderCompares() {
        JsonPath answer = Classify.post(
                "text",
                "Stir the soup and add a pinch of salt.",
                "mode",
                "embedding",
                "labels",
                List.of(
                        Map.of("name", "A", "description", "recipes and preparing food"),
                        Map.of("name", "B", "description", "computers and software")));
        assertThat(answer.getString("label")).isEqualTo("A");
    }
}
