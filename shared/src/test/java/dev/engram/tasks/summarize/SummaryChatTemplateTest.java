package dev.engram.tasks.summarize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.Cancellation;
import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.tasks.text.Sentences;
import dev.engram.tasks.text.Tally;
import dev.engram.testing.ChatTemplateModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The summary prompts through a chat template: stories260K's weights and tokenizer given a
 * {@code tokenizer_config.json} with a template (the model was not trained on it, so only the
 * mechanics are checked: instruction and text in their messages, every map-reduce prompt within the
 * context including the template's own tokens).
 */
class SummaryChatTemplateTest {
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
    void promptsUseTheTemplateAndMapReduceStaysWithinTheContext() {
        assertThat(model.hasChatTemplate()).isTrue();
        SummaryPrompts prompts = new SummaryPrompts(true, SummaryStyle.BULLETS, "the dog");
        String rendered = model.render(prompts.map("Tom had a dog.", true));
        assertThat(rendered)
                .contains(
                        "<|system|>\nSummarise the text the user sends with a focus on the dog, as a short list of bullet points")
                .contains("<|user|>\nTom had a dog.\n")
                .endsWith("<|assistant|>\n");

        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            text.append("Tom had a dog called Rex number ")
                    .append(i)
                    .append(". They played ball in the park every day. ");
        }
        int maxTokens = 24;
        AbstractiveSummarizer summarizer = new AbstractiveSummarizer(
                model, maxTokens, SummaryStyle.PARAGRAPH, null, new Tally(), new Cancellation());
        List<String> chunks = summarizer.chunks(Sentences.split(text.toString()), 64);
        assertThat(chunks).hasSizeGreaterThan(1);
        summarizer.summarize(chunks);
        List<SummaryStep> steps = summarizer.steps();
        assertThat(steps).filteredOn(s -> s.stage().equals("map")).hasSize(chunks.size());
        assertThat(steps.getLast().stage()).isEqualTo("reduce");
        assertThat(steps).allMatch(s -> s.promptTokens() + maxTokens <= model.contextLength());
    }
}
