package dev.engram.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaConfigTest {
    private static final String MISTRAL = """
            {"model_type": "mistral", "hidden_size": 5120, "intermediate_size": 14336, "num_attention_heads": 32,
             "num_key_value_heads": 8, "head_dim": 128, "num_hidden_layers": 40, "vocab_size": 131072,
             "max_position_embeddings": 1024000, "rms_norm_eps": 1e-05, "rope_theta": 1000000.0, "tie_word_embeddings": false}
            """;

    @TempDir
    Path dir;

    @Test
    void mistralIsALlamaWithItsOwnHeadSizeAndRoundTripsThroughGguf() throws IOException {
        Files.writeString(dir.resolve("config.json"), MISTRAL);
        LlamaConfig config = LlamaConfig.fromHuggingFace(dir);
        assertThat(config)
                .isEqualTo(new LlamaConfig(
                        "llama", 5120, 14336, 40, 32, 8, 128, 131072, 1_024_000, 1e-5f, 1e6f, null, false));
        assertThat(config.permutesQueryKey()).isTrue();
        assertThat(config.ropeFactors()).isEmpty();
        Path file = dir.resolve("config.gguf");
        GgufWriter writer = new GgufWriter().putString("general.architecture", "llama");
        config.writeGguf(writer);
        writer.addTensor(
                "output.weight", dev.engram.inference.gguf.GgmlType.F32, new long[] {1}, out -> out.fill((byte) 0));
        writer.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(gguf.getInt("llama.attention.key_length")).isEqualTo(128); // 32 x 128 != 5120
            assertThat(LlamaConfig.fromGguf(gguf)).isEqualTo(config);
        }
    }

    @Test
    void missingOrInconsistentSizesAreRefusedByName() throws IOException {
        Files.writeString(dir.resolve("config.json"), MISTRAL.replace("\"hidden_size\": 5120,", ""));
        assertThatThrownBy(() -> LlamaConfig.fromHuggingFace(dir)).hasMessageContaining("hidden_size");
        Files.writeString(
                dir.resolve("config.json"),
                MISTRAL.replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5"));
        assertThatThrownBy(() -> LlamaConfig.fromHuggingFace(dir)).hasMessageContaining("key/value heads");
        Files.writeString(
                dir.resolve("config.json"), MISTRAL.replace("\"num_hidden_layers\": 40", "\"num_hidden_layers\": -1"));
        assertThatThrownBy(() -> LlamaConfig.fromHuggingFace(dir)).hasMessageContaining("num_hidden_layers");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", ");
        assertThatThrownBy(() -> LlamaConfig.fromHuggingFace(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed");
        Files.delete(dir.resolve("config.json"));
        assertThatThrownBy(() -> LlamaConfig.fromHuggingFace(dir)).hasMessageContaining("config.json");
    }
}
