package dev.engram.inference.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.FinishReason;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.Prompt;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine's greedy output equals llama2.c's, token for token, called directly (no HTTP). */
class JlamaEngineReferenceTest {
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
    void kernelsAreTheOnesThisRunAskedFor() {
        boolean panamaForced = Boolean.getBoolean("jlama.force_panama_tensor_operations");
        assertThat(JlamaEngine.backend()).containsIgnoringCase(panamaForced ? "panama" : "native");
    }

    @Test
    void greedyMatchesReferenceTokenForToken() {
        for (ReferenceCases.Case c : ReferenceCases.load(TestModels.stories260K())) {
            assertThat(engine.encodePrompt(c.prompt()))
                    .as("prompt ids of '%s'", c.prompt())
                    .containsExactly(c.prompt_token_ids());
            List<String> streamed = new ArrayList<>();
            GenerationResult result =
                    engine.generate(GenerationRequest.greedy(Prompt.raw(c.prompt()), c.maxTokens()), streamed::add);
            assertThat(result.text())
                    .as("text for '%s' (%d steps)", c.prompt(), c.steps())
                    .isEqualTo(c.text());
            assertThat(String.join("", streamed)).isEqualTo(c.text());
            assertThat(result.completionTokens()).isEqualTo(c.token_ids().length);
            assertThat(result.finishReason()).isEqualTo(c.stopped_on_bos() ? FinishReason.STOP : FinishReason.LENGTH);
        }
    }

    @Test
    void generationStopsAtTheUsableContextWithoutError() {
        // A long repetitive prompt leaves a few positions free; the model keeps repeating into them.
        String prompt = "He liked to play with his ball. ".repeat(50);
        assertThat(engine.encodePrompt(prompt).length)
                .isBetween(engine.contextLength() - 8, engine.contextLength() - 1);
        GenerationResult result = engine.generate(GenerationRequest.greedy(Prompt.raw(prompt), 10_000), text -> {});
        assertThat(result.finishReason())
                .as("%d prompt + %d generated: %s", result.promptTokens(), result.completionTokens(), result.text())
                .isEqualTo(FinishReason.LENGTH);
        assertThat(result.promptTokens() + result.completionTokens()).isEqualTo(engine.contextLength() + 1);
    }
}
