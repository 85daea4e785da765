package dev.engram.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.Cancellation;
import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.Prompt;
import dev.engram.inference.Sampling;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine end to end on stories260K: prompt text in, llama2.c's greedy text out. */
class EngramEngineReferenceTest {
    private static EngramEngine engine;
    private static Path dir;

    /**
     * The engine as tests load it: native kernels unless the run asks for the Vector API ones
     * (the 256-bit surefire execution does, so both decode paths run the engine suites).
     */
    static EngramEngine.Options options() {
        return new EngramEngine.Options(
                2,
                Optional.empty(),
                !Boolean.getBoolean("engram.test.vector-kernels"),
                64L << 20,
                8,
                64,
                16,
                Duration.ofSeconds(30),
                InferenceObserver.NONE);
    }

    @BeforeAll
    static void load() throws Exception {
        dir = TestModels.stories260K();
        engine = EngramEngine.load(dir, options());
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void promptIdsAndGreedyTextEqualTheReference() {
        for (ReferenceCases.Case c : ReferenceCases.load(dir)) {
            assertThat(engine.encodePrompt(c.prompt()))
                    .as("prompt ids of '%s'", c.prompt())
                    .containsExactly(c.prompt_token_ids());
            GenerationResult result =
                    engine.generate(GenerationRequest.greedy(Prompt.raw(c.prompt()), c.maxTokens()), t -> {});
            assertThat(result.text()).as("continuation of '%s'", c.prompt()).isEqualTo(c.text());
            assertThat(result.completionTokens()).isEqualTo(c.token_ids().length);
            assertThat(result.finishReason()).isEqualTo(c.stopped_on_bos() ? FinishReason.STOP : FinishReason.LENGTH);
            assertThat(result.promptTokens()).isEqualTo(c.prompt_token_ids().length);
        }
    }

    /** A task runs several generations under one request's cancellation: a stop string ends one answer, not the request. */
    @Test
    void aStopStringEndsItsOwnGenerationOnlyNotTheSharedCancellation() {
        Cancellation shared = new Cancellation();
        GenerationResult stopped = engine.generate(
                new GenerationRequest(Prompt.raw("Once upon a time"), Sampling.GREEDY, 60, List.of("."), shared),
                t -> {});
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(shared.isCancelled()).isFalse();
        GenerationResult next = engine.generate(
                new GenerationRequest(Prompt.raw("Once upon a time"), Sampling.GREEDY, 20, List.of(), shared), t -> {});
        assertThat(next.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(next.completionTokens()).isEqualTo(20);
        assertThat(next.text()).startsWith(stopped.text());
    }
}
