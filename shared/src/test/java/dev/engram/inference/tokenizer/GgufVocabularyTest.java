package dev.engram.inference.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufValue;
import dev.engram.inference.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizer metadata as GGUF files from elsewhere carry it: defaults, "no token" markers, and inconsistent metadata. */
class GgufVocabularyTest {
    private static final List<String> TOKENS = tokens();

    @TempDir
    Path dir;

    private static List<String> tokens() {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
        }
        tokens.addAll(List.of("\u2581", "a", "b", "\u2581a", "ab", "\u2581ab"));
        return tokens;
    }

    @Test
    void aLlamaVocabularyWithoutTypesOrIdsGetsLlamaCppsDefaults() throws IOException {
        Vocabulary vocabulary = read(w -> w.putString("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", GgufValue.strings(TOKENS))
                .put(
                        "tokenizer.ggml.padding_token_id",
                        GgufValue.uint32(0xFFFF_FFFFL))); // "none", as some converters write it
        assertThat(vocabulary.bos()).isEqualTo(1);
        assertThat(vocabulary.eos()).isEqualTo(2);
        assertThat(vocabulary.unknown()).isZero();
        assertThat(vocabulary.padding()).isEqualTo(-1);
        assertThat(vocabulary.addBos()).isTrue();
        assertThat(vocabulary.addSpacePrefix()).isTrue();
        assertThat(vocabulary.types().get(3 + 'A')).isEqualTo(TokenType.BYTE);
        Tokenizer tokenizer = new BpeTokenizer(vocabulary);
        assertThat(tokenizer.bytes(3 + 'A')).containsExactly('A');
        // no scores: every merge ranks alike, so pairs merge left to right
        assertThat(tokenizer.encode("ab ab")).containsExactly(TOKENS.indexOf("\u2581ab"), TOKENS.indexOf("\u2581ab"));
        assertThat(tokenizer.encode("é")).containsExactly(TOKENS.indexOf("\u2581"), 3 + 0xC3, 3 + 0xA9);
    }

    @Test
    void inconsistentMetadataIsRefusedWithTheKeyNamed() {
        refused(
                w -> w.putString("tokenizer.ggml.model", "bert")
                        .put("tokenizer.ggml.tokens", GgufValue.strings(TOKENS)),
                "'bert'");
        refused(
                w -> w.putString("tokenizer.ggml.model", "llama")
                        .put("tokenizer.ggml.tokens", GgufValue.strings(TOKENS))
                        .put("tokenizer.ggml.token_type", GgufValue.int32s(1, 1)),
                "token_type has 2 entries");
        refused(
                w -> w.putString("tokenizer.ggml.model", "llama")
                        .put("tokenizer.ggml.tokens", GgufValue.strings(TOKENS))
                        .put("tokenizer.ggml.scores", GgufValue.float32s(0f)),
                "scores has 1 entries");
        refused(
                w -> w.putString("tokenizer.ggml.model", "llama")
                        .put("tokenizer.ggml.tokens", GgufValue.strings(TOKENS))
                        .put(
                                "tokenizer.ggml.token_type",
                                GgufValue.int32s(
                                        TOKENS.stream().mapToInt(t -> 9).toArray())),
                "token type 9");
        refused(
                w -> w.putString("tokenizer.ggml.model", "llama")
                        .put("tokenizer.ggml.tokens", GgufValue.strings(TOKENS))
                        .putUint32("tokenizer.ggml.bos_token_id", 70_000),
                "tokenizer.ggml.bos_token_id");
        refused(
                w -> w.putString("tokenizer.ggml.model", "gpt2")
                        .put("tokenizer.ggml.tokens", GgufValue.strings(TOKENS)),
                "tokenizer.ggml.merges");
        refused(w -> w.putString("tokenizer.ggml.model", "llama"), "tokenizer.ggml.tokens");
    }

    private void refused(Consumer<GgufWriter> metadata, String message) {
        assertThatThrownBy(() -> read(metadata))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private Vocabulary read(Consumer<GgufWriter> metadata) throws IOException {
        GgufWriter writer = new GgufWriter();
        metadata.accept(writer);
        Path file = java.nio.file.Files.createTempFile(dir, "vocab", ".gguf");
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            return GgufVocabulary.read(gguf);
        }
    }
}
