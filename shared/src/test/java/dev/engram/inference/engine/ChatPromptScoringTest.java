package dev.engram.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.engram.inference.Cancellation;
import dev.engram.inference.ContinuationScores;
import dev.engram.inference.InferenceObserver;
import dev.engram.inference.Prompt;
import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.testing.ChatTemplateModel;
import dev.engram.testing.TokenByToken;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A chat prompt rendered and scored by the engine itself (see {@link ChatTemplateModel}): the text it
 * shows ends where the assistant's reply begins, as Jlama's does, and a continuation is scored right
 * after that, never after the bare user turn.
 */
class ChatPromptScoringTest {
    static Path dir;
    static EngramEngine engine;
    static JlamaEngine jlama;

    @BeforeAll
    static void load() throws Exception {
        dir = ChatTemplateModel.write();
        engine = EngramEngine.load(
                dir,
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
        jlama = JlamaEngine.load(dir, JlamaEngine.Options.defaults());
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
        if (jlama != null) {
            jlama.close();
        }
        ChatTemplateModel.delete(dir);
    }

    @Test
    void theRenderedPromptEndsWhereTheReplyBeginsLikeJlamas() {
        Prompt prompt = new Prompt(
                "Be brief.",
                List.of(new Prompt.Message(Prompt.Role.USER, "Hi"), new Prompt.Message(Prompt.Role.ASSISTANT, "Hello")),
                "Tell me a story");
        assertThat(engine.render(prompt))
                .isEqualTo(jlama.render(prompt))
                .isEqualTo(
                        "<|system|>\nBe brief.\n<|user|>\nHi\n<|assistant|>\nHello\n<|user|>\nTell me a story\n<|assistant|>\n");
    }

    @Test
    void continuationsAreScoredAfterTheRepliesStart() {
        Prompt prompt = Prompt.of("Classify the text.", "Text: Lily found a puppy.");
        List<String> labels = List.of("happy", "sad", "a dog story");
        ContinuationScores scores = engine.scoreContinuations(prompt, labels, new Cancellation());
        int[] promptIds = engine.encodePrompt(prompt);
        assertThat(scores.promptTokens()).isEqualTo(promptIds.length);
        for (int i = 0; i < labels.size(); i++) {
            int[] label = engine.tokenize(labels.get(i));
            int[] full = Arrays.copyOf(promptIds, promptIds.length + label.length);
            System.arraycopy(label, 0, full, promptIds.length, label.length);
            ContinuationScores.Score score = scores.scores().get(i);
            assertThat(score.tokens()).isEqualTo(label.length);
            assertThat(score.logProb())
                    .as(labels.get(i))
                    .isCloseTo(TokenByToken.logProb(engine.model(), full, promptIds.length), within(1e-4));
        }
    }
}
