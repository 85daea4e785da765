package dev.engram.inference.tokenizer;

import static dev.engram.inference.tokenizer.SentencePieceTokenizerTest.decode;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The byte-level front ends on a small tokenizer trained with real merges, Llama-3 style and Qwen2 style. */
class ByteLevelTokenizerTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen2"})
    void givesTheTextbookAlgorithmsIdsAndTheGgufFrontEndAgrees(String style) throws IOException {
        boolean qwen = style.equals("qwen2");
        ByteLevelFixture.write(
                dir, qwen ? ByteLevelFixture.QWEN2_PATTERN : ByteLevelFixture.LLAMA3_PATTERN, qwen, 400, null);
        Tokenizer hf = Tokenizers.fromHuggingFace(dir);
        TextbookBpe textbook = new TextbookBpe(dir.resolve("tokenizer.json"));
        Vocabulary vocabulary = HuggingFaceVocabulary.read(dir);
        assertThat(vocabulary.kind()).isEqualTo(Vocabulary.Kind.BYTE_LEVEL);
        assertThat(vocabulary.preTokenizer()).isEqualTo(qwen ? "qwen2" : "llama-bpe");
        Path file = dir.resolve("vocab.gguf");
        GgufWriter writer = new GgufWriter();
        GgufVocabulary.write(vocabulary, writer);
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.getString("tokenizer.ggml.model")).isEqualTo("gpt2");
            assertThat(gguf.getString("tokenizer.ggml.pre")).isEqualTo(qwen ? "qwen2" : "llama-bpe");
            assertThat(gguf.getStrings("tokenizer.ggml.merges"))
                    .hasSize(vocabulary.merges().size())
                    .hasSizeGreaterThan(350);
            Tokenizer fromGguf = Tokenizers.fromGguf(gguf);
            int merged = 0;
            for (String text : TokenizerSamples.strings(400)) {
                int[] ids = hf.encode(text);
                assertThat(ids)
                        .as(text)
                        .containsExactly(
                                textbook.encode(text).stream().mapToInt(i -> i).toArray());
                assertThat(fromGguf.encode(text)).as(text).containsExactly(ids);
                assertThat(fromGguf.encodeWithSpecialTokens(text))
                        .as(text)
                        .containsExactly(hf.encodeWithSpecialTokens(text));
                String normalized = qwen ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
                assertThat(decode(hf, ids)).as(text).isEqualTo(normalized);
                merged += ids.length < normalized.getBytes(java.nio.charset.StandardCharsets.UTF_8).length ? 1 : 0;
            }
            assertThat(merged).isGreaterThan(300); // the merges do merge
            assertThat(fromGguf.bos()).isEqualTo(hf.bos());
            assertThat(fromGguf.addBos()).isTrue();
            // llama.cpp also ends on control tokens spelled like an end of turn: <|im_end|> here
            assertThat(fromGguf.endTokens())
                    .containsAll(hf.endTokens())
                    .contains(vocabulary.pieces().indexOf("<|im_end|>"));
        }
    }

    /**
     * Jlama 0.8.4's tokenizer on the same files agrees on ASCII text; on other text it maps code points
     * rather than UTF-8 bytes through the byte alphabet and drops what it cannot map (e.g. "…" encodes
     * to nothing), so only ASCII is compared with it (all text is compared with the textbook algorithm above).
     */
    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen2"})
    void givesJlamasIdsOnAsciiText(String style) throws IOException {
        boolean qwen = style.equals("qwen2");
        ByteLevelFixture.write(
                dir, qwen ? ByteLevelFixture.QWEN2_PATTERN : ByteLevelFixture.LLAMA3_PATTERN, qwen, 400, null);
        Tokenizer tokenizer = Tokenizers.fromHuggingFace(dir);
        LlamaTokenizer jlama = new LlamaTokenizer(dir);
        int compared = 0;
        for (String text : TokenizerSamples.strings(1000)) {
            if (text.chars().allMatch(c -> c < 128)
                    && ByteLevelFixture.SPECIALS.stream().noneMatch(text::contains)) {
                assertThat(tokenizer.encode(text))
                        .as(text)
                        .containsExactly(Arrays.stream(jlama.encode(text))
                                .mapToInt(id -> (int) id)
                                .toArray());
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(250);
    }

    @Test
    void specialTokensFlagsAndDecoding() throws IOException {
        ByteLevelFixture.write(dir, ByteLevelFixture.LLAMA3_PATTERN, false, 300, null);
        Tokenizer tokenizer = Tokenizers.fromHuggingFace(dir);
        List<String> pieces = HuggingFaceVocabulary.read(dir).pieces();
        int begin = pieces.indexOf("<|begin_of_text|>");
        int eot = pieces.indexOf("<|eot_id|>");
        int end = pieces.indexOf("<|end_of_text|>");
        assertThat(tokenizer.bos()).isEqualTo(begin);
        assertThat(tokenizer.addBos()).isTrue(); // from the post-processor's template
        assertThat(tokenizer.addsSpacePrefix()).isFalse();
        assertThat(tokenizer.endTokens()).containsExactlyInAnyOrder(eot, end);
        assertThat(tokenizer.isControl(eot)).isTrue();
        assertThat(tokenizer.bytes(eot)).isEmpty();
        assertThat(tokenizer.isControl(pieces.indexOf("Ġ"))).isFalse();
        assertThat(tokenizer.bytes(pieces.indexOf("Ġ"))).containsExactly(' ');
        assertThat(tokenizer.bytes(pieces.indexOf("Ċ"))).containsExactly('\n');

        String text = "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>";
        assertThat(tokenizer.encode(text)).doesNotContain(eot, pieces.indexOf("<|start_header_id|>"));
        assertThat(decode(tokenizer, tokenizer.encode(text))).isEqualTo(text);
        int[] rendered = tokenizer.encodeWithSpecialTokens(text);
        assertThat(rendered[0]).isEqualTo(pieces.indexOf("<|start_header_id|>"));
        assertThat(rendered[rendered.length - 1]).isEqualTo(eot);
        assertThat(decode(tokenizer, rendered)).isEqualTo("user\n\nHi there");
    }

    @Test
    void longInputsEncodeWhole() throws IOException {
        ByteLevelFixture.write(dir, ByteLevelFixture.LLAMA3_PATTERN, false, 400, null);
        Tokenizer tokenizer = Tokenizers.fromHuggingFace(dir);
        StringBuilder text = new StringBuilder();
        List<String> samples = TokenizerSamples.strings(300);
        for (int i = 0; text.length() < 100_000; i++) {
            text.append(samples.get(i % samples.size())).append(' ');
        }
        assertThat(decode(tokenizer, tokenizer.encode(text.toString()))).isEqualTo(text.toString());
        String word = "abcdefghij".repeat(10_000);
        assertThat(decode(tokenizer, tokenizer.encode(word))).isEqualTo(word);
    }

    @Test
    void unsupportedTokenizerFeaturesAreRefusedByName() throws IOException {
        ByteLevelFixture.write(dir, ByteLevelFixture.LLAMA3_PATTERN, false, 50, null);
        Path json = dir.resolve("tokenizer.json");
        String original = Files.readString(json);
        Files.writeString(json, original.replace("\"type\" : \"BPE\"", "\"type\" : \"WordPiece\""));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokenizers.fromHuggingFace(dir))
                .hasMessageContaining("WordPiece");
        Files.writeString(
                json, original.replace("\"normalizer\" : null", "\"normalizer\" : {\"type\" : \"Lowercase\"}"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokenizers.fromHuggingFace(dir))
                .hasMessageContaining("Lowercase");
        Files.writeString(json, original.replaceFirst("\"id\" : \\d+", "\"id\" : 2147483647"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokenizers.fromHuggingFace(dir))
                .hasMessageContaining("2147483647");
        Files.writeString(json, original.replaceFirst("\"id\" : \\d+", "\"id\" : 100000"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokenizers.fromHuggingFace(dir))
                .hasMessageContaining("ids reach 100000");
        Files.writeString(json, original.substring(0, original.length() / 2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tokenizers.fromHuggingFace(dir))
                .hasMessageContaining("malformed");
    }
}
