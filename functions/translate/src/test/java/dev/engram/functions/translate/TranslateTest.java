package dev.engram.functions.translate;

import static dev.engram.functions.translate.Translations.translate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.session.Session;
import dev.engram.memory.session.SessionStore;
import dev.engram.tenant.Tenant;
import dev.engram.testing.ModelTestResource;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Translation through stories260K (English-only: its "translations" are story text, so these tests
 * check the mechanics — chunking, order, layout, usage, determinism — not the language).
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
@QuarkusTestResource(RedisTestResource.class)
class TranslateTest {
    static final String GERMAN_LIST = """
            # Einkaufsliste

            Wir brauchen heute ein paar Dinge aus dem Laden.
            - zwei Liter Milch
            - ein Brot
              * frische Eier vom Markt
            1. Zuerst gehen wir zum Bäcker.
            ---
            Danke!""";

    @Inject
    SessionStore sessions;

    @Test
    void translatesThroughTheModelWithUsageAndTimings() {
        JsonPath answer = translate(
                "text",
                "Der kleine Hund spielt im Garten mit einem roten Ball.",
                "targetLanguage",
                "en",
                "segments",
                true);
        assertThat(answer.getString("sourceLanguage")).isEqualTo("de");
        assertThat(answer.getString("detectedLanguage")).isEqualTo("de");
        assertThat(answer.getString("targetLanguage")).isEqualTo("en");
        assertThat(answer.getInt("chunks")).isEqualTo(1);
        assertThat(answer.getString("model")).isEqualTo("stories260K");
        assertThat(answer.getInt("usage.promptTokens")).isPositive();
        assertThat(answer.getInt("usage.completionTokens")).isPositive();
        assertThat(answer.getDouble("timings.totalMs")).isPositive();
        assertThat(answer.getString("translation")).isNotBlank().doesNotContain("\n");
        assertThat(answer.getString("segments[0].source"))
                .isEqualTo("Der kleine Hund spielt im Garten mit einem roten Ball.");
    }

    @Test
    void aGivenSourceLanguageWinsOverDetection() {
        JsonPath answer = translate("text", "The dog is happy.", "targetLanguage", "en", "sourceLanguage", "fr");
        assertThat(answer.getString("sourceLanguage")).isEqualTo("fr");
        assertThat(answer.getString("detectedLanguage")).isEqualTo("en");
        assertThat(answer.getInt("chunks")).as("fr → en runs the model").isEqualTo(1);
        assertThat(answer.getString("segments"))
                .as("segments only when asked for")
                .isNull();
    }

    @Test
    void layoutIsPreservedLineByLine() {
        JsonPath answer = translate("text", GERMAN_LIST, "targetLanguage", "en");
        List<String> in = GERMAN_LIST.lines().toList();
        List<String> out = answer.getString("translation").lines().toList();
        assertThat(out).hasSameSizeAs(in);
        assertThat(out.get(0)).startsWith("# ");
        assertThat(out.get(1)).isEmpty();
        assertThat(out.get(3)).startsWith("- ");
        assertThat(out.get(4)).startsWith("- ");
        assertThat(out.get(5)).startsWith("  * ");
        assertThat(out.get(6)).startsWith("1. ");
        assertThat(out.get(7)).isEqualTo("---");
        assertThat(answer.getInt("chunks")).as("one chunk per line with words").isEqualTo(7);
    }

    @Test
    void chunksOfALongTextAreTranslatedInOrder() {
        StringBuilder paragraph = new StringBuilder();
        String[] animals = {"Hund", "Katze", "Vogel", "Fisch", "Pferd", "Hase", "Maus", "Kuh"};
        for (int i = 0; i < 24; i++) {
            paragraph
                    .append("Am Tag ")
                    .append(i + 1)
                    .append(" sah das Kind eine ")
                    .append(animals[i % animals.length])
                    .append(" im Garten hinter dem alten Haus. ");
        }
        String text = paragraph.toString().strip() + "\n\nDas war das Ende.";
        JsonPath answer = translate("text", text, "targetLanguage", "en", "segments", true);
        List<Map<String, String>> segments = answer.getList("segments");
        assertThat(answer.getInt("chunks")).isEqualTo(segments.size()).isGreaterThan(2);

        // The chunks are the text's sentences, cut only between sentences, in the text's order.
        List<String> sources = segments.stream().map(s -> s.get("source")).toList();
        assertThat(String.join(" ", sources.subList(0, sources.size() - 1)))
                .isEqualTo(paragraph.toString().strip());
        assertThat(sources.getLast()).isEqualTo("Das war das Ende.");
        for (String source : sources) {
            assertThat(source).endsWith(".");
        }

        // Each chunk translated alone gives the piece found at its place in the long translation.
        List<String> alone = new ArrayList<>();
        for (String source : sources) {
            JsonPath single = translate("text", source, "targetLanguage", "en", "sourceLanguage", "de");
            assertThat(single.getInt("chunks")).isEqualTo(1);
            alone.add(single.getString("translation"));
        }
        assertThat(segments.stream().map(s -> s.get("translation")).toList()).isEqualTo(alone);
        assertThat(answer.getString("translation"))
                .isEqualTo(String.join(" ", alone.subList(0, alone.size() - 1)) + "\n\n" + alone.getLast());
    }

    @Test
    void greedyTranslationIsDeterministic() {
        JsonPath first = translate("text", GERMAN_LIST, "targetLanguage", "en");
        JsonPath second = translate("text", GERMAN_LIST, "targetLanguage", "en");
        assertThat(second.getString("translation")).isEqualTo(first.getString("translation"));
    }

    @Test
    void aSessionRecordsTheExchange() {
        JsonPath answer = translate("text", "Die Katze schläft.", "targetLanguage", "en", "sessionId", "tr-1");
        assertThat(answer.getInt("memory.turns")).isEqualTo(2);
        JsonPath same = translate("text", "The cat sleeps.", "targetLanguage", "en", "sessionId", "tr-1");
        assertThat(same.getInt("memory.turns")).isEqualTo(4);
        Session stored = sessions.peek(Tenant.DEFAULT.id(), "tr-1");
        assertThat(stored.turns().get(0).text()).isEqualTo("Translate into English: Die Katze schläft.");
        assertThat(stored.turns().get(1).text()).isEqualTo(answer.getString("translation"));
        assertThat(stored.turns().get(3).text()).isEqualTo("The cat sleeps.");
    }
}
