package dev.engram.inference.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufWriter;
import dev.engram.inference.jlama.WordwiseEncoder;
import dev.engram.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SentencePiece-style front ends on stories260K's real vocabulary (tokenizer.json, and GGUF written from it). */
class SentencePieceTokenizerTest {
    private static final List<String> SPECIAL_SPELLINGS = List.of("<s>", "</s>", "<unk>");
    /** SentencePiece's space mark: typed into a text, it decodes as the space it stands for. */
    private static final String SPACE_MARK = "\u2581";

    @TempDir
    Path dir;

    @Test
    void reproducesTheReferencePromptIds() throws IOException {
        Tokenizer tokenizer = Tokenizers.fromHuggingFace(TestModels.stories260K());
        JsonNode reference = new ObjectMapper()
                .readTree(TestModels.stories260K().resolve("reference.json").toFile());
        assertThat(reference.size()).isEqualTo(6);
        for (JsonNode row : reference) {
            int[] expected = new ObjectMapper().convertValue(row.get("prompt_token_ids"), int[].class);
            int[] ids = tokenizer.encode(row.get("prompt").asText());
            int[] withBos = new int[ids.length + 1];
            withBos[0] = tokenizer.bos();
            System.arraycopy(ids, 0, withBos, 1, ids.length);
            assertThat(withBos).as(row.get("prompt").asText()).containsExactly(expected);
        }
        assertThat(tokenizer.addBos()).isTrue();
        assertThat(tokenizer.bos()).isEqualTo(1);
        assertThat(tokenizer.endTokens()).containsExactlyInAnyOrder(2, 1); // config.json: eos_token_id [2, 1]
        assertThat(tokenizer.addsSpacePrefix()).isTrue();
        assertThat(tokenizer.size()).isEqualTo(512);
    }

    @Test
    void givesJlamasIdsAndTheTextbookAlgorithmsOnVariedStrings() throws IOException {
        Path model = TestModels.stories260K();
        Tokenizer tokenizer = Tokenizers.fromHuggingFace(model);
        WordwiseEncoder jlama = new WordwiseEncoder(new LlamaTokenizer(model));
        TextbookBpe textbook = new TextbookBpe(model.resolve("tokenizer.json"));
        int withSpecials = 0;
        for (String text : TokenizerSamples.strings(400)) {
            int[] jlamaIds =
                    Arrays.stream(jlama.encode(text)).mapToInt(id -> (int) id).toArray();
            if (SPECIAL_SPELLINGS.stream().anyMatch(text::contains)) {
                // Jlama's encode turns these spellings into their tokens: what encodeWithSpecialTokens does
                assertThat(tokenizer.encodeWithSpecialTokens(text)).as(text).containsExactly(jlamaIds);
                withSpecials++;
            } else {
                assertThat(tokenizer.encode(text)).as(text).containsExactly(jlamaIds);
                assertThat(tokenizer.encode(text))
                        .as(text)
                        .containsExactly(
                                textbook.encode(text).stream().mapToInt(i -> i).toArray());
            }
        }
        assertThat(withSpecials).isBetween(20, 200);
    }

    @Test
    void theGgufFrontEndOnAGgufWrittenFromTheVocabularyGivesTheSameIds() throws IOException {
        Tokenizer hf = Tokenizers.fromHuggingFace(TestModels.stories260K());
        Path file = dir.resolve("vocab.gguf");
        GgufWriter writer = new GgufWriter().putString("general.architecture", "llama");
        GgufVocabulary.write(HuggingFaceVocabulary.read(TestModels.stories260K()), writer);
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            Tokenizer fromGguf = Tokenizers.fromGguf(gguf);
            assertThat(gguf.getFloats("tokenizer.ggml.scores"))
                    .hasSize(512); // merge order carried by scores, as llama.cpp reads it
            assertThat(gguf.has("tokenizer.ggml.merges")).isFalse();
            for (String text : TokenizerSamples.strings(400)) {
                assertThat(fromGguf.encode(text)).as(text).containsExactly(hf.encode(text));
                assertThat(fromGguf.encodeWithSpecialTokens(text))
                        .as(text)
                        .containsExactly(hf.encodeWithSpecialTokens(text));
            }
            assertThat(fromGguf.endTokens()).isEqualTo(hf.endTokens());
            assertThat(fromGguf.bos()).isEqualTo(hf.bos());
            assertThat(fromGguf.addBos()).isEqualTo(hf.addBos());
            assertThat(fromGguf.addsSpacePrefix()).isTrue();
        }
    }

    @Test
    void decodedBytesAreTheTextWithTheDummyPrefixRemoved() throws IOException {
        Tokenizer tokenizer = Tokenizers.fromHuggingFace(TestModels.stories260K());
        for (String text : TokenizerSamples.strings(400)) {
            if (SPECIAL_SPELLINGS.stream().noneMatch(text::contains)) {
                assertThat(decode(tokenizer, tokenizer.encode(text)))
                        .as(text)
                        .isEqualTo(" " + text.replace(SPACE_MARK, " "));
            }
        }
        assertThat(tokenizer.bytes(1)).isEmpty(); // <s>
        assertThat(tokenizer.bytes(3 + 0x0A)).containsExactly(0x0A); // <0x0A>
        assertThat(tokenizer.isControl(1)).isTrue();
        assertThat(tokenizer.isControl(2)).isTrue();
        assertThat(tokenizer.isControl(265)).isFalse(); // ▁the
        assertThat(new String(tokenizer.bytes(265), StandardCharsets.UTF_8)).isEqualTo(" the");
    }

    @Test
    void specialSpellingsAreTextToEncodeAndTokensToEncodeWithSpecialTokens() throws IOException {
        Tokenizer tokenizer = Tokenizers.fromHuggingFace(TestModels.stories260K());
        assertThat(tokenizer.encode("</s><s>")).doesNotContain(1, 2);
        assertThat(decode(tokenizer, tokenizer.encode("</s><s>"))).isEqualTo(" </s><s>");
        int[] once = tokenizer.encode("Once");
        int[] rendered = tokenizer.encodeWithSpecialTokens("<s>Once</s>");
        assertThat(rendered[0]).isEqualTo(1);
        assertThat(Arrays.copyOfRange(rendered, 1, rendered.length - 1))
                .containsExactly(once); // dummy prefix after a special token
        assertThat(rendered[rendered.length - 1]).isEqualTo(2);
        assertThat(tokenizer.encodeWithSpecialTokens("")).isEmpty();
        assertThat(tokenizer.encode("")).isEmpty();
    }

    @Test
    void longInputsEncodeWhole() throws IOException {
        Tokenizer tokenizer = Tokenizers.fromHuggingFace(TestModels.stories260K());
        Random random = new Random(1);
        List<String> samples = TokenizerSamples.strings(200);
        StringBuilder text = new StringBuilder();
        while (text.length() < 100_000) {
            String sample = samples.get(random.nextInt(samples.size()));
            if (SPECIAL_SPELLINGS.stream().noneMatch(sample::contains) && !sample.contains(SPACE_MARK)) {
                text.append(sample).append(' ');
            }
        }
        assertThat(decode(tokenizer, tokenizer.encode(text.toString()))).isEqualTo(" " + text);
        String word = "abcdefghij".repeat(10_000); // one 100,000-character word: no split points at all
        assertThat(decode(tokenizer, tokenizer.encode(word))).isEqualTo(" " + word);
    }

    static String decode(Tokenizer tokenizer, int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(tokenizer.bytes(id));
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
