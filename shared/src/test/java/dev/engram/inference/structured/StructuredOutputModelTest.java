package dev.engram.inference.structured;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.Sampling;
import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.testing.SchemaValidator;
import dev.engram.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guarantee on a real model that knows nothing of JSON: stories260K writes children's stories,
 * yet under every test schema, greedy and sampled, each output that ends by itself is a document the
 * schema validator accepts; an output cut by maxTokens finishes with {@code length}.
 */
class StructuredOutputModelTest {
    private static final List<String> PROMPTS = List.of("Once upon a time", "Lily wanted a dog. The dog", "{\"name\":");
    static JlamaEngine engine;

    @BeforeAll
    static void load() {
        engine = JlamaEngine.load(TestModels.stories260K(), JlamaEngine.Options.defaults());
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void everyOutputThatEndsIsAValidDocument() {
        int complete = 0;
        int runs = 0;
        List<String> samples = new ArrayList<>();
        for (String schema : TestSchemas.ALL) {
            ResponseFormat format = schema == null ? ResponseFormat.jsonObject() : ResponseFormat.jsonSchema("t", JsonGrammarTest.node(schema));
            List<Sampling> samplings = List.of(Sampling.GREEDY, new Sampling(1f, 1f, 0, 1), new Sampling(0.8f, 0.9f, 40, 2),
                    new Sampling(1.5f, 1f, 0, 3));
            for (String prompt : PROMPTS) {
                for (Sampling sampling : samplings) {
                    GenerationResult result = engine.generate(
                            new GenerationRequest(prompt, sampling, 200, List.of(), null).withFormat(format), text -> {});
                    runs++;
                    if (result.finishReason() == FinishReason.STOP) {
                        complete++;
                        assertThat(SchemaValidator.errors(schema, result.text()))
                                .as("'%s' for %s (%s)", result.text(), schema, sampling).isEmpty();
                        assertThat(format.complete(result.text())).isTrue();
                        if (samples.size() < 12) {
                            samples.add(result.text());
                        }
                    } else {
                        assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
                        assertThat(result.completionTokens()).isEqualTo(200);
                    }
                }
            }
        }
        assertThat(complete).as("complete documents of %d runs; e.g. %s", runs, samples).isGreaterThan(runs / 2);
    }

    @Test
    void theSameSeedGivesTheSameDocument() {
        ResponseFormat format = ResponseFormat.jsonSchema("t", JsonGrammarTest.node(TestSchemas.ALL.get(2)));
        GenerationRequest request = new GenerationRequest("Once upon a time", new Sampling(1f, 1f, 0, 42), 120, List.of(), null)
                .withFormat(format);
        assertThat(engine.generate(request, t -> {}).text()).isEqualTo(engine.generate(request, t -> {}).text());
    }

    @Test
    void maxTokensCutsTheDocumentShort() {
        ResponseFormat format = ResponseFormat.jsonSchema("t", JsonGrammarTest.node(TestSchemas.ALL.get(2)));
        GenerationResult result = engine.generate(GenerationRequest.greedy("Once upon a time", 3).withFormat(format), t -> {});
        assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(result.completionTokens()).isEqualTo(3);
        assertThat(result.text().strip()).startsWith("{");
        assertThat(format.complete(result.text())).isFalse();
        assertThat(SchemaValidator.errors(TestSchemas.ALL.get(2), result.text())).isNotEmpty();
    }

    @Test
    void withoutAFormatTheOutputIsUnchanged() {
        GenerationResult free = engine.generate(GenerationRequest.greedy("Once upon a time", 30), t -> {});
        assertThat(free.text()).doesNotStartWith("{").isNotBlank();
    }
}
