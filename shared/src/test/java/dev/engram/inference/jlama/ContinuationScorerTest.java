package dev.engram.inference.jlama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.engram.errors.InvalidRequestException;
import dev.engram.inference.Cancellation;
import dev.engram.inference.ContinuationScores;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.Prompt;
import dev.engram.inference.engine.EngramEngine;
import dev.engram.testing.TestModels;
import dev.engram.testing.TokenByToken;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Jlama's batched scorer (prompt once, continuations over the reused KV state) gives the same
 * log-likelihoods as the own engine feeding every sequence token by token on a fresh cache: F32
 * weights, two implementations, agreeing within float rounding.
 */
class ContinuationScorerTest {
    static JlamaEngine engine;
    static EngramEngine reference;

    @BeforeAll
    static void load() throws Exception {
        engine = JlamaEngine.load(TestModels.stories260K(), JlamaEngine.Options.defaults());
        reference = EngramEngine.load(
                TestModels.stories260K(),
                new EngramEngine.Options(
                        2,
                        Optional.empty(),
                        true,
                        64L << 20,
                        1,
                        64,
                        4,
                        Duration.ofSeconds(30),
                        InferenceObserver.NONE));
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    static double sequentialLogProb(int[] tokens, int from) {
        return TokenByToken.logProb(reference.model(), tokens, from);
    }

    @Test
    void batchedScoresEqualTokenByTokenScores() {
        String prompt = "Once upon a time, there was a little";
        List<String> continuations =
                List.of(" girl", " dog named Max", " bird", " boy who loved to play outside", " x");
        ContinuationScores batched = engine.scoreContinuations(Prompt.raw(prompt), continuations, new Cancellation());
        int[] promptTokens = engine.encodePrompt(prompt);
        assertThat(batched.promptTokens()).isEqualTo(promptTokens.length);
        for (int i = 0; i < continuations.size(); i++) {
            int[] full = engine.encodePrompt(prompt + continuations.get(i));
            assertThat(ContinuationScorer.commonPrefix(promptTokens, full)).isEqualTo(promptTokens.length);
            double expected = sequentialLogProb(full, promptTokens.length);
            ContinuationScores.Score score = batched.scores().get(i);
            assertThat(score.tokens()).isEqualTo(full.length - promptTokens.length);
            assertThat(score.logProb()).as(continuations.get(i)).isCloseTo(expected, within(1e-4));
            assertThat(score.logProb()).isNegative();
        }
        // The tiny model still knows its stories: a girl is likelier than a stray letter.
        assertThat(batched.scores().get(0).meanLogProb())
                .isGreaterThan(batched.scores().get(4).meanLogProb());
    }

    @Test
    void continuationMergingWithThePromptIsScoredFromTheSharedPrefix() {
        // "ti" + "me" is read as the one token "time": the continuation is not a clean suffix of the prompt.
        String prompt = "Once upon a ti";
        List<String> continuations = List.of("me", " with her ball", "ny");
        ContinuationScores batched = engine.scoreContinuations(Prompt.raw(prompt), continuations, new Cancellation());
        int[] promptTokens = engine.encodePrompt(prompt);
        assertThat(ContinuationScorer.commonPrefix(promptTokens, engine.encodePrompt(prompt + "me")))
                .as("the case this test is about")
                .isLessThan(promptTokens.length);
        for (int i = 0; i < continuations.size(); i++) {
            int[] full = engine.encodePrompt(prompt + continuations.get(i));
            int shared = ContinuationScorer.commonPrefix(promptTokens, full);
            double expected = sequentialLogProb(full, shared);
            assertThat(batched.scores().get(i).logProb())
                    .as(continuations.get(i))
                    .isCloseTo(expected, within(1e-4));
            assertThat(batched.scores().get(i).tokens()).isEqualTo(full.length - shared);
        }
    }

    @Test
    void sameRequestSameScores() {
        List<String> labels = List.of(" happy", " sad", " angry");
        ContinuationScores first = engine.scoreContinuations(Prompt.raw("Tom was"), labels, new Cancellation());
        ContinuationScores second = engine.scoreContinuations(Prompt.raw("Tom was"), labels, new Cancellation());
        assertThat(second.scores()).isEqualTo(first.scores());
    }

    @Test
    void tooLongForTheContextIsRefused() {
        String prompt = "He liked to play with his ball. ".repeat(60);
        assertThatThrownBy(() -> engine.scoreContinuations(Prompt.raw(prompt), List.of(" yes"), new Cancellation()))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("tokens");
    }
}
