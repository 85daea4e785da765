package dev.engram.inference.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.inference.gguf.GgmlType;
import dev.engram.inference.gguf.GgufFile;
import dev.engram.inference.gguf.GgufTensor;
import dev.engram.inference.llama.LlamaConfig;
import dev.engram.inference.quant.RowFormat;
import dev.engram.inference.safetensors.SafetensorsModel;
import dev.engram.inference.safetensors.SafetensorsTensor;
import dev.engram.inference.tokenizer.Tokenizer;
import dev.engram.inference.tokenizer.Tokenizers;
import dev.engram.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GgufExportTest {
    private static final Map<GgmlType, Integer> FILE_TYPES =
            Map.of(GgmlType.F32, 0, GgmlType.F16, 1, GgmlType.BF16, 32, GgmlType.Q8_0, 7, GgmlType.Q4_0, 2);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = GgmlType.class,
            names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void exportsStories260KWithLlamaCppMetadataShapesAndTypes(GgmlType type) throws IOException {
        Path model = TestModels.stories260K();
        Path out = dir.resolve("stories260K-" + type + ".gguf");
        GgufExport.Result result = GgufExport.export(model, type, out);
        assertThat(result.bytes()).isEqualTo(Files.size(out));
        try (GgufFile file = GgufFile.open(out)) {
            assertThat(file.getString("general.architecture")).isEqualTo("llama");
            assertThat(file.getInt("general.file_type")).isEqualTo(FILE_TYPES.get(type));
            assertThat(file.getInt("llama.block_count")).isEqualTo(5);
            assertThat(file.getInt("llama.embedding_length")).isEqualTo(64);
            assertThat(file.getInt("llama.feed_forward_length")).isEqualTo(256);
            assertThat(file.getInt("llama.attention.head_count")).isEqualTo(8);
            assertThat(file.getInt("llama.attention.head_count_kv")).isEqualTo(4);
            assertThat(file.getInt("llama.context_length")).isEqualTo(512);
            assertThat(file.getInt("llama.rope.dimension_count")).isEqualTo(8);
            assertThat(file.getInt("llama.vocab_size")).isEqualTo(512);
            assertThat(file.getFloat("llama.attention.layer_norm_rms_epsilon")).isEqualTo(1e-5f);
            assertThat(file.getFloat("llama.rope.freq_base")).isEqualTo(10_000f);
            assertThat(file.has("llama.attention.key_length")).isFalse(); // 8 heads x 8 = 64: llama.cpp's default
            assertThat(file.getString("tokenizer.ggml.model")).isEqualTo("llama");
            assertThat(file.getStrings("tokenizer.ggml.tokens"))
                    .hasSize(512)
                    .startsWith("<unk>", "<s>", "</s>", "<0x00>");
            assertThat(file.getInts("tokenizer.ggml.token_type")).startsWith(2, 3, 3, 6);
            assertThat(file.getInt("tokenizer.ggml.bos_token_id")).isEqualTo(1);
            assertThat(file.getInt("tokenizer.ggml.eos_token_id")).isEqualTo(2);
            assertThat(file.getInt("tokenizer.ggml.eot_token_id"))
                    .isEqualTo(1); // config.json lists BOS as a second end token
            assertThat(file.getBool("tokenizer.ggml.add_bos_token")).isTrue();
            assertThat(file.has("tokenizer.chat_template")).isFalse();

            Set<String> expected = new TreeSet<>(List.of("token_embd.weight", "output_norm.weight"));
            for (int layer = 0; layer < 5; layer++) {
                for (String name : List.of(
                        "attn_norm",
                        "attn_q",
                        "attn_k",
                        "attn_v",
                        "attn_output",
                        "ffn_norm",
                        "ffn_gate",
                        "ffn_up",
                        "ffn_down")) {
                    expected.add("blk." + layer + "." + name + ".weight");
                }
            }
            assertThat(file.tensors())
                    .extracting(GgufTensor::name)
                    .containsExactlyInAnyOrderElementsOf(expected); // tied: no output.weight
            assertThat(file.tensor("token_embd.weight").shape()).containsExactly(64, 512);
            assertThat(file.tensor("blk.3.attn_k.weight").shape()).containsExactly(64, 32);
            assertThat(file.tensor("blk.3.ffn_down.weight").shape()).containsExactly(256, 64);
            for (GgufTensor tensor : file.tensors()) {
                assertThat(tensor.type()).as(tensor.name()).isEqualTo(tensor.shape().length == 1 ? GgmlType.F32 : type);
            }
            assertThat(LlamaConfig.fromGguf(file)).isEqualTo(result.config());
            assertThat(result.config().tiedEmbeddings()).isTrue();
        }
    }

    @Test
    void queryAndKeyRowsAreInterleavedAndHuggingFacesPermutationRestoresThem() throws IOException {
        Path out = dir.resolve("f32.gguf");
        GgufExport.export(TestModels.stories260K(), GgmlType.F32, out);
        try (GgufFile file = GgufFile.open(out);
                SafetensorsModel hf = SafetensorsModel.open(TestModels.stories260K())) {
            for (int layer = 0; layer < 5; layer++) {
                assertRepermutedEquals(
                        file.tensor("blk." + layer + ".attn_q.weight"),
                        hf.tensor("model.layers." + layer + ".self_attn.q_proj.weight"),
                        8);
                assertRepermutedEquals(
                        file.tensor("blk." + layer + ".attn_k.weight"),
                        hf.tensor("model.layers." + layer + ".self_attn.k_proj.weight"),
                        4);
                // V is not permuted
                assertThat(rows(file.tensor("blk." + layer + ".attn_v.weight")))
                        .isDeepEqualTo(rows(hf.tensor("model.layers." + layer + ".self_attn.v_proj.weight")));
            }
            assertThat(java.util.Arrays.deepEquals(
                            rows(file.tensor("blk.0.attn_q.weight")),
                            rows(hf.tensor("model.layers.0.self_attn.q_proj.weight"))))
                    .isFalse();
        }
    }

    /**
     * Hugging Face's converter turns Meta's interleaved rows into halves with
     * {@code w.view(heads, headDim / 2, 2, in).transpose(1, 2).reshape(out, in)}: HF row
     * {@code h*d + j*d/2 + i} is Meta row {@code h*d + 2i + j}. Applied to the export, it must give back the HF weights.
     */
    private static void assertRepermutedEquals(GgufTensor gguf, SafetensorsTensor hf, int heads) {
        float[][] exported = rows(gguf);
        float[][] original = rows(hf);
        int headDim = exported.length / heads;
        float[][] repermuted = new float[exported.length][];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < headDim / 2; i++) {
                for (int j = 0; j < 2; j++) {
                    repermuted[h * headDim + j * headDim / 2 + i] = exported[h * headDim + 2 * i + j];
                }
            }
        }
        assertThat(repermuted).isDeepEqualTo(original);
    }

    @Test
    void q8_0And4_0StayCloseToF32AndRowsKeepTheirPlaces() throws IOException {
        Path f32 = dir.resolve("f32.gguf");
        Path q8 = dir.resolve("q8.gguf");
        Path q4 = dir.resolve("q4.gguf");
        GgufExport.export(TestModels.stories260K(), GgmlType.F32, f32);
        GgufExport.export(TestModels.stories260K(), GgmlType.Q8_0, q8);
        GgufExport.export(TestModels.stories260K(), GgmlType.Q4_0, q4);
        try (GgufFile exact = GgufFile.open(f32);
                GgufFile eight = GgufFile.open(q8);
                GgufFile four = GgufFile.open(q4)) {
            for (GgufTensor tensor : exact.tensors()) {
                if (tensor.shape().length == 1) {
                    continue;
                }
                float[][] reference = rows(tensor);
                float[][] q8Rows = rows(eight.tensor(tensor.name()));
                float[][] q4Rows = rows(four.tensor(tensor.name()));
                for (int r = 0; r < reference.length; r++) {
                    for (int b = 0; b < reference[r].length; b += 32) {
                        float amax = 0;
                        for (int j = b; j < b + 32; j++) {
                            amax = Math.max(amax, Math.abs(reference[r][j]));
                        }
                        for (int j = b; j < b + 32; j++) {
                            assertThat(Math.abs(q8Rows[r][j] - reference[r][j]))
                                    .as("%s row %d", tensor.name(), r)
                                    .isLessThanOrEqualTo(amax / 127 * 0.57f + 1e-7f);
                            assertThat(Math.abs(q4Rows[r][j] - reference[r][j]))
                                    .as("%s row %d", tensor.name(), r)
                                    .isLessThanOrEqualTo(amax / 8 * 1.01f + 1e-7f);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theTokenizerSurvivesTheRoundTrip() throws IOException {
        Path out = dir.resolve("q8.gguf");
        GgufExport.export(TestModels.stories260K(), GgmlType.Q8_0, out);
        Tokenizer hf = Tokenizers.fromHuggingFace(TestModels.stories260K());
        try (GgufFile file = GgufFile.open(out)) {
            Tokenizer gguf = Tokenizers.fromGguf(file);
            assertThat(gguf.size()).isEqualTo(hf.size());
            assertThat(gguf.bos()).isEqualTo(1);
            assertThat(gguf.addBos()).isTrue();
            assertThat(gguf.endTokens()).isEqualTo(hf.endTokens()).containsExactlyInAnyOrder(1, 2);
            assertThat(gguf.addsSpacePrefix()).isTrue();
            for (String text : List.of("Once upon a time", "Lily wanted to", "The dog", "naïve 日本語 🦙\n\n  x", "")) {
                assertThat(gguf.encode(text)).as(text).containsExactly(hf.encode(text));
            }
            for (int id = 0; id < hf.size(); id++) {
                assertThat(gguf.bytes(id)).isEqualTo(hf.bytes(id));
                assertThat(gguf.isControl(id)).isEqualTo(hf.isControl(id));
            }
        }
    }

    @Test
    void unsupportedModelsAndTypesAreRefusedByName() throws IOException {
        Path copy = copyOfStories();
        assertThatThrownBy(() -> GgufExport.export(copy, GgmlType.Q4_K, dir.resolve("x.gguf")))
                .hasMessageContaining("Q4_K");
        Path config = copy.resolve("config.json");
        String original = Files.readString(config);
        Files.writeString(config, original.replace("\"model_type\": \"llama\"", "\"model_type\": \"gpt_neox\""));
        assertThatThrownBy(() -> GgufExport.export(copy, GgmlType.F32, dir.resolve("x.gguf")))
                .hasMessageContaining("gpt_neox");
        Files.writeString(config, original.replace("\"intermediate_size\": 256", "\"intermediate_size\": 172"));
        assertThatThrownBy(() -> GgufExport.export(copy, GgmlType.F32, dir.resolve("x.gguf")))
                .hasMessageContaining("gate_proj")
                .hasMessageContaining("[256, 64]");
        assertThat(Files.exists(dir.resolve("x.gguf"))).isFalse();
    }

    private Path copyOfStories() throws IOException {
        Path copy = Files.createDirectory(dir.resolve("model"));
        for (String name : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(TestModels.stories260K().resolve(name), copy.resolve(name));
        }
        return copy;
    }

    private static float[][] rows(GgufTensor tensor) {
        float[][] rows = new float[(int) tensor.rows()][(int) tensor.rowLength()];
        for (int r = 0; r < rows.length; r++) {
            tensor.decodeRow(r, rows[r]);
        }
        return rows;
    }

    private static float[][] rows(SafetensorsTensor tensor) {
        RowFormat format = tensor.rowFormat();
        int length = (int) tensor.rowLength();
        float[][] rows = new float[(int) tensor.rows()][length];
        for (int r = 0; r < rows.length; r++) {
            format.decode(tensor.data(), r * format.rowBytes(length), rows[r], 0, length);
        }
        return rows;
    }
}
