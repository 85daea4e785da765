package dev.engram.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sentence splitting and token-counted chunking, with stories260K's real tokenizer. */
class TextPartsTest {
    static JlamaEngine model;

    @BeforeAll
    static void load() {
        model = JlamaEngine.load(TestModels.stories260K(), JlamaEngine.Options.defaults());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void sentencesAreVerbatimAndLineBreaksAndBlankLinesCount() {
        String text = "  Tom ran. Mr. Smith waved!\n- milk\n- bread\n\n\nA new day began? Yes.\r\nEnd";
        List<Sentence> sentences = Sentences.split(text);
        assertThat(sentences)
                .extracting(Sentence::text)
                .containsExactly(
                        "Tom ran.", "Mr. Smith waved!", "- milk", "- bread", "A new day began?", "Yes.", "End");
        assertThat(sentences).extracting(Sentence::paragraph).containsExactly(0, 0, 0, 0, 1, 1, 1);
        for (Sentence s : sentences) {
            assertThat(text.substring(s.start(), s.end())).isEqualTo(s.text());
        }
    }

    @Test
    void everyChunkFitsAndNothingIsLostOrReordered() {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            pieces.add("Sentence " + i + " tells how the little cat played with a ball.");
        }
        int limit = 60;
        Chunker chunker =
                new Chunker(model::countTokens, text -> model.countTokens("Summary of: " + text) <= limit, limit - 4);
        List<String> chunks = chunker.pack(pieces, " ");
        assertThat(chunks.size()).isGreaterThan(5);
        assertThat(chunks).allMatch(c -> model.countTokens("Summary of: " + c) <= limit);
        assertThat(String.join(" ", chunks)).isEqualTo(String.join(" ", pieces));
        // Packed, not one piece per chunk: each chunk but the last could not take the next piece.
        assertThat(chunks.size()).isLessThan(pieces.size());
    }

    @Test
    void aPieceLargerThanAnyChunkIsCutAtWhitespaceOrCharacters() {
        String longSentence =
                "the big red dog ran far away from home ".repeat(30).strip();
        String noSpaces = "abcdefghij".repeat(40);
        Chunker chunker = new Chunker(model::countTokens, text -> model.countTokens(text) <= 50, 50);
        List<String> chunks = chunker.pack(List.of("Hello there.", longSentence, noSpaces), " ");
        assertThat(chunks).allMatch(c -> model.countTokens(c) <= 50);
        assertThat(String.join(" ", chunks).replace(" ", ""))
                .isEqualTo(("Hello there." + longSentence + noSpaces).replace(" ", ""));
        assertThat(String.join(" ", chunks))
                .startsWith("Hello there. the big red dog")
                .contains(longSentence.substring(0, 200));
    }

    @Test
    void longTextsAreClippedForTheSessionWithAMarker() {
        String story = "Lily had a big red ball and she played with it every day in the sunny park. ".repeat(20);
        String clipped = SessionText.clip(story, model);
        assertThat(clipped).endsWith(" […]");
        assertThat(story).startsWith(clipped.substring(0, clipped.length() - 4));
        assertThat(model.countTokens(clipped)).isLessThanOrEqualTo(model.contextLength() / 8);
        assertThat(SessionText.clip("Lily had a ball.", model)).isEqualTo("Lily had a ball.");
    }
}
