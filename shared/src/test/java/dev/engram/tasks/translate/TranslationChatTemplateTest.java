package dev.engram.tasks.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.Cancellation;
import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.tasks.text.Tally;
import dev.engram.tasks.translate.TranslateResponse.Segment;
import dev.engram.testing.ChatTemplateModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Translation prompts through a chat template (see {@link ChatTemplateModel}): messages, chunk budget, layout. */
class TranslationChatTemplateTest {
    static Path dir;
    static JlamaEngine model;

    @BeforeAll
    static void load() {
        dir = ChatTemplateModel.write();
        model = JlamaEngine.load(dir, JlamaEngine.Options.defaults());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
        ChatTemplateModel.delete(dir);
    }

    @Test
    void chunksGoInTheUserMessageAndEachLineStaysOneLine() {
        TranslationPrompts prompts = new TranslationPrompts(true, "German", "English");
        assertThat(model.render(prompts.prompt("Der Hund schläft.")))
                .startsWith("<|system|>\nTranslate the text the user sends from German into English.")
                .contains("<|user|>\nDer Hund schläft.\n")
                .endsWith("<|assistant|>\n");
        assertThat(prompts.stop())
                .as("a chat model ends with its end-of-turn token")
                .isEmpty();

        StringBuilder longLine = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            longLine.append("Der Hund Nummer ").append(i).append(" spielt im Garten. ");
        }
        String text = "- " + longLine.toString().strip() + "\n\n1. Ende.";
        Translator translator = new Translator(model, prompts, Locale.GERMAN, new Tally(), new Cancellation());
        Lines lines = Lines.of(text);
        List<List<String>> plan = translator.plan(lines, 64);
        assertThat(plan.get(0)).hasSizeGreaterThan(1);
        for (List<String> line : plan) {
            for (String chunk : line) {
                int prompt = model.countTokens(model.render(prompts.prompt(chunk))) + 1;
                assertThat(prompt + Translator.OUTPUT_RATIO * model.countTokens(chunk) + Translator.OUTPUT_SLACK)
                        .isLessThanOrEqualTo(model.contextLength());
            }
        }
        List<Segment> segments = new ArrayList<>();
        String translation = translator.translate(lines, plan, segments);
        List<String> out = translation.lines().toList();
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).startsWith("- ");
        assertThat(out.get(1)).isEmpty();
        assertThat(out.get(2)).startsWith("1. ");
        assertThat(segments)
                .extracting(Segment::source)
                .containsExactlyElementsOf(plan.stream().flatMap(List::stream).toList());
    }
}
