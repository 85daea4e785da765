package dev.engram.functions.translate;

import static dev.engram.functions.translate.Translations.translate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Source language detection on short texts, and the same-language shortcut: each text is sent with its
 * own language as the target, so a right detection returns the text unchanged without the model.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class TranslateDetectionTest {
    record Sample(String language, String text) {}

    static final List<Sample> SAMPLES = List.of(
            new Sample("en", "Where is the train station?"),
            new Sample("en", "I would like a cup of tea, please."),
            new Sample("en", "The weather is lovely today."),
            new Sample("de", "Wo ist der Bahnhof?"),
            new Sample("de", "Ich hätte gern eine Tasse Tee."),
            new Sample("de", "Das Wetter ist heute schön."),
            new Sample("fr", "Où est la gare ?"),
            new Sample("fr", "Je voudrais une tasse de thé, s'il vous plaît."),
            new Sample("fr", "Il fait beau aujourd'hui."),
            new Sample("es", "¿Dónde está la estación de tren?"),
            new Sample("es", "Quisiera una taza de té, por favor."),
            new Sample("es", "Hoy hace muy buen tiempo."),
            new Sample("it", "Dov'è la stazione dei treni?"),
            new Sample("it", "Vorrei una tazza di tè, per favore."),
            new Sample("it", "Oggi il tempo è bellissimo."),
            new Sample("pt", "Onde fica a estação de comboios?"),
            new Sample("pt", "Eu gostaria de uma xícara de chá."),
            new Sample("nl", "Waar is het treinstation?"),
            new Sample("nl", "Het weer is vandaag heerlijk."),
            new Sample("pl", "Gdzie jest dworzec kolejowy?"),
            new Sample("sv", "Var ligger tågstationen?"),
            new Sample("ru", "Где находится вокзал?"),
            new Sample("ru", "Сегодня прекрасная погода."),
            new Sample("zh", "火车站在哪里？"),
            new Sample("ja", "駅はどこですか？"));

    @Test
    void detectsShortTextsAndShortcutsTheSameLanguage() {
        int right = 0;
        for (Sample sample : SAMPLES) {
            JsonPath answer = translate("text", sample.text(), "targetLanguage", sample.language());
            String detected = answer.getString("detectedLanguage");
            System.out.printf(
                    "detect %s -> %s (%.3f): %s%n",
                    sample.language(), detected, answer.getDouble("confidence"), sample.text());
            if (sample.language().equals(detected)) {
                right++;
                assertThat(answer.getString("translation")).isEqualTo(sample.text());
                assertThat(answer.getInt("chunks")).isZero();
                assertThat(answer.getString("model"))
                        .as("the model is not called")
                        .isNull();
                assertThat(answer.getInt("usage.promptTokens")).isZero();
                assertThat(answer.getDouble("confidence")).isBetween(0.0, 1.0);
            }
        }
        System.out.printf("language detection: %d/%d short texts right%n", right, SAMPLES.size());
        assertThat(SAMPLES.stream().map(Sample::language).distinct()).hasSizeGreaterThanOrEqualTo(5);
        assertThat(right).as("short texts detected right").isGreaterThanOrEqualTo(23);
    }

    @Test
    void aGivenSourceLanguageIsUsedButDetectionIsStillReported() {
        JsonPath answer = translate("text", "The little dog ran home.", "targetLanguage", "en", "sourceLanguage", "en");
        assertThat(answer.getString("translation")).isEqualTo("The little dog ran home.");
        assertThat(answer.getString("sourceLanguage")).isEqualTo("en");
        assertThat(answer.getString("detectedLanguage")).isEqualTo("en");
        assertThat(answer.getDouble("confidence")).isPositive();
        // Upper-case codes are accepted.
        assertThat(translate("text", "Der kleine Hund lief nach Hause.", "targetLanguage", "DE")
                        .getInt("chunks"))
                .isZero();
    }

    @Test
    void textWithoutLettersHasNoDetectedLanguage() {
        JsonPath answer = translate("text", "12345 67", "targetLanguage", "de");
        assertThat(answer.getString("detectedLanguage")).isNull();
        assertThat(answer.getDouble("confidence")).isZero();
        assertThat(answer.getString("translation"))
                .as("a line without letters is kept as it is")
                .isEqualTo("12345 67");
        assertThat(answer.getInt("chunks")).isZero();
    }
}
