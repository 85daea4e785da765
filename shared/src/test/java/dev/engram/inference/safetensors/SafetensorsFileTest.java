package dev.engram.inference.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.engram.inference.quant.HalfFloat;
import dev.engram.inference.quant.RowFormat;
import dev.engram.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {
    @TempDir
    Path dir;

    @Test
    void readsStories260K() throws IOException {
        try (SafetensorsModel model = SafetensorsModel.open(TestModels.stories260K())) {
            assertThat(model.names())
                    .contains(
                            "model.embed_tokens.weight", "model.norm.weight", "model.layers.4.self_attn.k_proj.weight")
                    .doesNotContain("lm_head.weight");
            SafetensorsTensor embed = model.tensor("model.embed_tokens.weight");
            assertThat(embed.dtype()).isEqualTo(SafetensorsDtype.F32);
            assertThat(embed.shape()).containsExactly(512, 64);
            assertThat(model.tensor("model.layers.0.self_attn.k_proj.weight").shape())
                    .containsExactly(32, 64); // 4 KV heads of 8
            SafetensorsTensor gate = model.tensor("model.layers.2.mlp.gate_proj.weight");
            assertThat(gate.shape()).containsExactly(256, 64);
            assertThat(gate.rows()).isEqualTo(256);
            assertThat(gate.rowLength()).isEqualTo(64);
            // The README: FFN rows 172..255 are zero padding, the real rows are not.
            float[] row = new float[64];
            RowFormat format = gate.rowFormat();
            format.decode(gate.data(), 171 * format.rowBytes(64), row, 0, 64);
            assertThat(row).isNotEqualTo(new float[64]);
            for (int r = 172; r < 256; r++) {
                format.decode(gate.data(), r * format.rowBytes(64), row, 0, 64);
                assertThat(row).as("row " + r).containsOnly(0f);
            }
            assertThatThrownBy(() -> model.tensor("lm_head.weight")).hasMessageContaining("'lm_head.weight'");
        }
    }

    @Test
    void decodesF32F16AndBf16AndNamesOtherDtypes() throws IOException {
        Path path = write(
                "mixed.safetensors",
                SafetensorsFixture.file(List.of(
                        new SafetensorsFixture.Entry(
                                "f32", "F32", new long[] {2, 2}, SafetensorsFixture.floats(1, -2, 3.5f, 0)),
                        new SafetensorsFixture.Entry(
                                "f16",
                                "F16",
                                new long[] {3},
                                SafetensorsFixture.shorts(
                                        HalfFloat.floatToF16(1.5f),
                                        HalfFloat.floatToF16(-0.25f),
                                        HalfFloat.floatToF16(1000f))),
                        new SafetensorsFixture.Entry(
                                "bf16",
                                "BF16",
                                new long[] {2},
                                SafetensorsFixture.shorts(HalfFloat.floatToBf16(3f), HalfFloat.floatToBf16(-1e30f))),
                        new SafetensorsFixture.Entry("ids", "I64", new long[] {1}, new byte[8]),
                        new SafetensorsFixture.Entry("scalar", "F32", new long[] {}, SafetensorsFixture.floats(9)))));
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.metadata()).containsEntry("format", "pt");
            assertThat(decode(file.tensor("f32"))).containsExactly(1, -2, 3.5f, 0);
            assertThat(decode(file.tensor("f16"))).containsExactly(1.5f, -0.25f, 1000f);
            assertThat(decode(file.tensor("bf16")))
                    .containsExactly(3f, HalfFloat.bf16ToFloat(HalfFloat.floatToBf16(-1e30f)));
            assertThat(decode(file.tensor("scalar"))).containsExactly(9f);
            assertThat(file.tensor("f32").rows()).isEqualTo(2);
            assertThatThrownBy(() -> file.tensor("ids").rowFormat())
                    .hasMessageContaining("'ids'")
                    .hasMessageContaining("I64");
        }
    }

    @Test
    void shardsAreOneModelAndShardNamesStayInTheDirectory() throws IOException {
        write(
                "a.safetensors",
                SafetensorsFixture.file(List.of(
                        new SafetensorsFixture.Entry("x", "F32", new long[] {1}, SafetensorsFixture.floats(1)))));
        write(
                "b.safetensors",
                SafetensorsFixture.file(List.of(
                        new SafetensorsFixture.Entry("y", "F32", new long[] {1}, SafetensorsFixture.floats(2)))));
        write(SafetensorsModel.INDEX_FILE, """
                {"metadata": {"total_size": 8}, "weight_map": {"x": "a.safetensors", "y": "b.safetensors"}}""".getBytes());
        try (SafetensorsModel model = SafetensorsModel.open(dir)) {
            assertThat(model.names()).containsExactly("x", "y");
            assertThat(decode(model.tensor("y"))).containsExactly(2f);
        }
        write(SafetensorsModel.INDEX_FILE, """
                {"weight_map": {"x": "a.safetensors", "y": "a.safetensors"}}""".getBytes());
        assertThatThrownBy(() -> SafetensorsModel.open(dir))
                .hasMessageContaining("'y'")
                .hasMessageContaining("does not hold it");
        for (String hostile : List.of("../a.safetensors", "/etc/passwd", "sub/../../a.safetensors", "..", "")) {
            write(SafetensorsModel.INDEX_FILE, ("{\"weight_map\": {\"x\": \"" + hostile + "\"}}").getBytes());
            assertThatThrownBy(() -> SafetensorsModel.open(dir))
                    .as(hostile)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a file name");
        }
        write(SafetensorsModel.INDEX_FILE, "{\"weight_map\": {\"x\": \"missing.safetensors\"}}".getBytes());
        assertThatThrownBy(() -> SafetensorsModel.open(dir)).hasMessageContaining("does not exist");
        Files.delete(dir.resolve(SafetensorsModel.INDEX_FILE));
        assertThatThrownBy(() -> SafetensorsModel.open(dir)).hasMessageContaining("model.safetensors");
    }

    @Test
    void malformedHeadersAreRefusedWithTheProblemNamed() throws IOException {
        byte[] data = SafetensorsFixture.floats(1, 2);
        refused(new byte[4], "not a safetensors file");
        refused(lengthOnly(Long.MAX_VALUE), "header length");
        refused(lengthOnly(1L << 20), "header length");
        refused(SafetensorsFixture.file("[1, 2]", List.of()), "not a JSON object");
        refused(SafetensorsFixture.file("{\"t\": ", List.of()), "malformed");
        refused(
                SafetensorsFixture.file(
                        "{\"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                                + " \"t\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}",
                        List.of(data)),
                "Duplicate");
        refused(header("{\"dtype\": \"Q9\", \"shape\": [2], \"data_offsets\": [0, 8]}", data), "unknown dtype 'Q9'");
        refused(header("{\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]}", data), "non-negative");
        refused(header("{\"dtype\": \"F32\", \"shape\": [2.5], \"data_offsets\": [0, 8]}", data), "non-negative");
        refused(header("{\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]}", data), "span 8 bytes");
        refused(header("{\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 16]}", data), "outside");
        refused(header("{\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]}", data), "outside");
        refused(
                header(
                        "{\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296, 4294967296], \"data_offsets\": [0, 8]}",
                        data),
                "more elements");
        refused(header("{\"dtype\": \"F32\", \"shape\": [2]}", data), "data_offsets");
        refused(header("7", data), "JSON object");
    }

    @Test
    void truncationsAndCorruptionsAreRefusedOrRead() throws IOException {
        byte[] valid = SafetensorsFixture.file(List.of(
                new SafetensorsFixture.Entry("a", "F32", new long[] {2, 2}, SafetensorsFixture.floats(1, 2, 3, 4)),
                new SafetensorsFixture.Entry(
                        "b", "BF16", new long[] {3}, SafetensorsFixture.shorts((short) 1, (short) 2, (short) 3))));
        for (int length = 0; length < valid.length; length++) {
            byte[] truncated = Arrays.copyOf(valid, length);
            assertThatThrownBy(() -> open(truncated).close())
                    .as("length %d", length)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        Random random = new Random(9);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] corrupt = valid.clone();
            corrupt[random.nextInt(valid.length - 20)] = (byte) random.nextInt(256);
            try {
                open(corrupt).close();
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (Throwable e) {
                fail("trial " + trial + " gave " + e, e);
            }
        }
    }

    private static float[] decode(SafetensorsTensor tensor) {
        float[] values = new float[(int) tensor.elementCount()];
        tensor.rowFormat().decode(tensor.data(), 0, values, 0, values.length);
        return values;
    }

    private static byte[] lengthOnly(long length) {
        byte[] bytes = new byte[16];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(length);
        return bytes;
    }

    private static byte[] header(String tensorJson, byte[] data) {
        return SafetensorsFixture.file("{\"t\": " + tensorJson + "}", List.of(data));
    }

    private void refused(byte[] bytes, String message) {
        assertThatThrownBy(() -> open(bytes).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private SafetensorsFile open(byte[] bytes) throws IOException {
        return SafetensorsFile.open(Files.write(Files.createTempFile(dir, "t", ".safetensors"), bytes));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
