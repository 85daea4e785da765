package dev.engram.inference.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.inference.gguf.GgmlType;
import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufTensor;
import dev.engram.inference.llama.LlamaConfig;
import dev.engram.inference.safetensors.SafetensorsFixture;
import dev.engram.inference.safetensors.SafetensorsModel;
import dev.engram.inference.safetensors.SafetensorsTensor;
import dev.engram.inference.tokenizer.ByteLevelFixture;
import dev.engram.inference.tokenizer.Tokenizer;
import dev.engram.inference.tokenizer.Tokenizers;
import dev.engram.testing.TestModels;
import dev.engram.testing.synthetic.SyntheticModel;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export of the other shapes the Llama family comes in: Qwen2 (biases, no Q/K permutation, byte-level BPE) and Llama 3.1 RoPE scaling. */
class GgufExportFamiliesTest {
    @TempDir
    Path dir;

    @Test
    void qwen2KeepsItsRowOrderAndBiasesAndGetsItsOwnMetadata() throws IOException {
        Path model = Files.createDirectory(dir.resolve("qwen2"));
        ByteLevelFixture.write(
                model,
                ByteLevelFixture.QWEN2_PATTERN,
                true,
                249,
                null); // 256 bytes + 249 merges + 7 specials = 512 ids
        Files.writeString(
                model.resolve("config.json"),
                Files.readString(TestModels.stories260K().resolve("config.json"))
                        .replace("\"model_type\": \"llama\"", "\"model_type\": \"qwen2\"")
                        .replace("LlamaForCausalLM", "Qwen2ForCausalLM"));
        Random random = new Random(4);
        List<SafetensorsFixture.Entry> entries = new ArrayList<>();
        try (SafetensorsModel stories = SafetensorsModel.open(TestModels.stories260K())) {
            for (String name : stories.names()) {
                SafetensorsTensor t = stories.tensor(name);
                entries.add(new SafetensorsFixture.Entry(
                        name, "F32", t.shape(), t.data().toArray(ValueLayout.JAVA_BYTE)));
            }
        }
        for (int layer = 0; layer < 5; layer++) {
            for (String[] bias : new String[][] {{"q_proj", "64"}, {"k_proj", "32"}, {"v_proj", "32"}}) {
                float[] values = new float[Integer.parseInt(bias[1])];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextGaussian();
                }
                entries.add(new SafetensorsFixture.Entry(
                        "model.layers." + layer + ".self_attn." + bias[0] + ".bias",
                        "F32",
                        new long[] {values.length},
                        SafetensorsFixture.floats(values)));
            }
        }
        Files.write(model.resolve("model.safetensors"), SafetensorsFixture.file(entries));

        Path out = dir.resolve("qwen2.gguf");
        GgufExport.Result result = GgufExport.export(model, GgmlType.Q8_0, out);
        try (GgufFile file = GgufFile.open(out);
                SafetensorsModel hf = SafetensorsModel.open(model)) {
            assertThat(file.getString("general.architecture")).isEqualTo("qwen2");
            assertThat(file.getInt("qwen2.block_count")).isEqualTo(5);
            assertThat(file.getInt("qwen2.attention.head_count_kv")).isEqualTo(4);
            assertThat(file.has("llama.block_count")).isFalse();
            assertThat(file.getString("tokenizer.ggml.model")).isEqualTo("gpt2");
            assertThat(file.getString("tokenizer.ggml.pre")).isEqualTo("qwen2");
            assertThat(LlamaConfig.fromGguf(file)).isEqualTo(result.config());
            GgufTensor qBias = file.tensor("blk.2.attn_q.bias");
            assertThat(qBias.type()).isEqualTo(GgmlType.F32);
            assertThat(qBias.shape()).containsExactly(64);
            assertThat(floats(qBias)).containsExactly(floats(hf.tensor("model.layers.2.self_attn.q_proj.bias")));
            assertThat(file.tensor("blk.2.attn_v.bias").shape()).containsExactly(32);
            assertThat(rowsClose(
                            file.tensor("blk.2.attn_q.weight"), hf.tensor("model.layers.2.self_attn.q_proj.weight")))
                    .as("Qwen2 rows stay in Hugging Face's order")
                    .isTrue();
            Tokenizer gguf = Tokenizers.fromGguf(file);
            Tokenizer tokenizerJson = Tokenizers.fromHuggingFace(model);
            for (String text : List.of("Once upon a time, 12345 naïve 日本語 🦙", "  two  spaces\n\nand lines")) {
                assertThat(gguf.encode(text)).containsExactly(tokenizerJson.encode(text));
            }
        }
    }

    @Test
    void llama3RopeScalingBecomesTheRopeFreqsTensor() throws IOException {
        Path model = Files.createDirectory(dir.resolve("llama31"));
        for (String name : List.of("model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(TestModels.stories260K().resolve(name), model.resolve(name));
        }
        Files.writeString(
                model.resolve("config.json"),
                Files.readString(TestModels.stories260K().resolve("config.json"))
                        .replace(
                                "\"rope_theta\": 10000.0,",
                                "\"rope_theta\": 10000.0, \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0,"
                                        + " \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 1024},"));
        Path out = dir.resolve("llama31.gguf");
        GgufExport.export(model, GgmlType.F32, out);
        try (GgufFile file = GgufFile.open(out)) {
            // frequencies 1, 0.1, 0.01, 0.001: wavelengths 6.3 and 63 are short (factor 1), 6283 long (factor 8),
            // 628 in between: 1 / ((1 - s) / 8 + s) with s = (1024 / 628.3 - 1) / 3
            assertThat(floats(file.tensor("rope_freqs.weight")))
                    .containsExactly(new float[] {1f, 1f, 3.2396418f, 8f}, org.assertj.core.data.Offset.offset(1e-5f));
        }
        Files.writeString(
                model.resolve("config.json"),
                Files.readString(model.resolve("config.json")).replace("llama3", "yarn"));
        assertThatThrownBy(() -> GgufExport.export(model, GgmlType.F32, out)).hasMessageContaining("yarn");
    }

    /** The benchmark's random-weight models (SentencePiece-style synthetic vocabulary) export too. */
    @Test
    void syntheticModelsExport() throws IOException {
        SyntheticModel.Shape shape = SyntheticModel.Shape.tiny();
        Path model = SyntheticModel.write(dir.resolve("synthetic"), shape, 7);
        Path out = dir.resolve("synthetic.gguf");
        GgufExport.Result result = GgufExport.export(model, GgmlType.Q4_0, out);
        assertThat(result.config().embeddingLength()).isEqualTo(shape.hidden());
        assertThat(result.config().headDim()).isEqualTo(shape.headSize());
        try (GgufFile file = GgufFile.open(out)) {
            assertThat(file.tensor("blk.1.ffn_down.weight").type()).isEqualTo(GgmlType.Q4_0);
            assertThat(file.tensor("blk.1.ffn_down.weight").shape())
                    .containsExactly(shape.intermediate(), shape.hidden());
            assertThat(file.getStrings("tokenizer.ggml.tokens")).hasSize(shape.vocab());
            Tokenizer tokenizer = Tokenizers.fromGguf(file);
            java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
            for (int id : tokenizer.encode("the quick brown fox")) {
                text.writeBytes(tokenizer.bytes(id));
            }
            assertThat(text.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(" the quick brown fox");
        }
    }

    private static float[] floats(GgufTensor tensor) {
        float[] values = new float[(int) tensor.elementCount()];
        tensor.rowFormat().decode(tensor.data(), 0, values, 0, values.length);
        return values;
    }

    private static float[] floats(SafetensorsTensor tensor) {
        float[] values = new float[(int) tensor.elementCount()];
        tensor.rowFormat().decode(tensor.data(), 0, values, 0, values.length);
        return values;
    }

    /** Each Q8_0 row is within its quantisation error of the same-numbered F32 row (and far from the others). */
    private static boolean rowsClose(GgufTensor quantized, SafetensorsTensor reference) {
        float[] q = floats(quantized);
        float[] r = floats(reference);
        for (int i = 0; i < r.length; i++) {
            if (Math.abs(q[i] - r[i]) > 0.02f) {
                return false;
            }
        }
        return true;
    }
}
