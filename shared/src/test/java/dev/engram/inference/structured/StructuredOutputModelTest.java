package dev.engram.inference.structured;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import dev.engram.inference.engine.EngramEngine;
import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.testing.SchemaValidator;
import dev.engram.testing.TestModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guarantee on a real model that knows nothing of JSON: stories260K writes children's stories,
 * yet under every test schema, greedy and sampled, each output that ends by itself is a document the
 * schema validator accepts; an output cut by maxTokens finishes with {@code length}. Both in-process
 * engines: Jlama's loop and the own engine, whose scheduler masks each sequence of a batch on its own.
 */
class StructuredOutputModelTest {
    private static final List<String> PROMPTS = List.of("Once upon a time", "Lily wanted a dog. The dog", "{\"name\":");
    static List<LanguageModel> engines = List.of();
    static EngramEngine own;

    @BeforeAll
    static void load() throws Exception {
        own = EngramEngine.load(
                TestModels.stories260K(),
                new EngramEngine.Options(
                        2,
                        Optional.empty(),
                        true,
                        64L << 20,
                        8,
                        64,
                        16,
                        Duration.ofSeconds(30),
                        InferenceObserver.NONE));
        engines = List.of(JlamaEngine.load(TestModels.stories260K(), JlamaEngine.Options.defaults()), own);
    }

    @AfterAll
    static void close() {
        engines.forEach(LanguageModel::close);
    }

    @Test
    void everyOutputThatEndsIsAValidDocument() {
        int complete = 0;
        int runs = 0;
        List<String> samples = new ArrayList<>();
        for (LanguageModel engine : engines) {
            for (String schema : TestSchemas.ALL) {
                ResponseFormat format = schema == null
                        ? ResponseFormat.jsonObject()
                        : ResponseFormat.jsonSchema("t", JsonGrammarTest.node(schema));
                List<Sampling> samplings = List.of(
                        Sampling.GREEDY,
                        new Sampling(1f, 1f, 0, 1),
                        new Sampling(0.8f, 0.9f, 40, 2),
                        new Sampling(1.5f, 1f, 0, 3));
                for (String prompt : PROMPTS) {
                    for (Sampling sampling : samplings) {
                        GenerationResult result = engine.generate(
                                new GenerationRequest(Prompt.raw(prompt), sampling, 200, List.of(), null)
                                        .withFormat(format),
                                text -> {});
                        runs++;
                        if (result.finishReason() == FinishReason.STOP) {
                            complete++;
                            assertThat(SchemaValidator.errors(schema, result.text()))
                                    .as("%s: '%s' for %s (%s)", engine.name(), result.text(), schema, sampling)
                                    .isEmpty();
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
        }
        assertThat(complete)
                .as("complete documents of %d runs; e.g. %s", runs, samples)
                .isGreaterThan(runs / 2);
    }

    @Test
    void theSameSeedGivesTheSameDocument() {
        ResponseFormat format = ResponseFormat.jsonSchema("t", JsonGrammarTest.node(TestSchemas.ALL.get(2)));
        GenerationRequest request = new GenerationRequest(
                        Prompt.raw("Once upon a time"), new Sampling(1f, 1f, 0, 42), 120, List.of(), null)
                .withFormat(format);
        for (LanguageModel engine : engines) {
            assertThat(engine.generate(request, t -> {}).text())
                    .isEqualTo(engine.generate(request, t -> {}).text());
        }
    }

    @Test
    void maxTokensCutsTheDocumentShort() {
        ResponseFormat format = ResponseFormat.jsonSchema("t", JsonGrammarTest.node(TestSchemas.ALL.get(2)));
        for (LanguageModel engine : engines) {
            GenerationResult result = engine.generate(
                    GenerationRequest.greedy(Prompt.raw("Once upon a time"), 3).withFormat(format), t -> {});
            assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(result.completionTokens()).isEqualTo(3);
            assertThat(result.text().strip()).startsWith("{");
            assertThat(format.complete(result.text())).isFalse();
            assertThat(SchemaValidator.errors(TestSchemas.ALL.get(2), result.text()))
                    .isNotEmpty();
        }
    }

    @Test
    void withoutAFormatTheOutputIsUnchanged() {
        for (LanguageModel engine : engines) {
            GenerationResult free =
                    engine.generate(GenerationRequest.greedy(Prompt.raw("Once upon a time"), 30), t -> {});
            assertThat(free.text()).doesNotStartWith("{").isNotBlank();
        }
    }

    /** Constrained and free sequences in one batch: each keeps its own mask, the free ones their own text. */
    @Test
    void constrainedAndFreeSequencesShareABatch() throws Exception {
        ResponseFormat format = ResponseFormat.jsonSchema("t", JsonGrammarTest.node(TestSchemas.ALL.get(2)));
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            GenerationRequest request = new GenerationRequest(
                    Prompt.raw("Once upon a time"), new Sampling(1f, 1f, 0, i), 120, List.of(), null);
            requests.add(i % 2 == 0 ? request.withFormat(format) : request);
        }
        List<String> alone =
                requests.stream().map(r -> own.generate(r, t -> {}).text()).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(requests.size())) {
            List<Future<GenerationResult>> together = requests.stream()
                    .map(r -> pool.submit(() -> own.generate(r, t -> {})))
                    .toList();
            for (int i = 0; i < requests.size(); i++) {
                GenerationResult result = together.get(i).get();
                assertThat(result.text()).as("request %d in a batch", i).isEqualTo(alone.get(i));
                if (i % 2 == 0 && result.finishReason() == FinishReason.STOP) {
                    assertThat(SchemaValidator.errors(TestSchemas.ALL.get(2), result.text()))
                            .isEmpty();
                }
            }
        }
    }
}
