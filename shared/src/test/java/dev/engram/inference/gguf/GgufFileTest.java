package dev.engram.inference.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.inference.quant.RowFormat;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    @TempDir
    Path dir;

    @Test
    void everyMetadataTypeRoundTrips() throws IOException {
        Map<String, GgufValue> values = new LinkedHashMap<>();
        values.put("u8", GgufValue.uint8(255));
        values.put("i8", GgufValue.int8(-128));
        values.put("u16", GgufValue.uint16(65535));
        values.put("i16", GgufValue.int16(-32768));
        values.put("u32", GgufValue.uint32(0xFFFF_FFFFL));
        values.put("i32", GgufValue.int32(Integer.MIN_VALUE));
        values.put("u64", GgufValue.uint64(-1L)); // 2^64 - 1
        values.put("i64", GgufValue.int64(Long.MIN_VALUE));
        values.put("f32", GgufValue.float32(-1.5e-7f));
        values.put("f64", GgufValue.float64(Math.PI));
        values.put("bool.true", GgufValue.bool(true));
        values.put("bool.false", GgufValue.bool(false));
        values.put("string", GgufValue.string("héllo ▁ 🦙 \u0000 end"));
        values.put("string.empty", GgufValue.string(""));
        for (GgufValueType type : GgufValueType.values()) {
            if (type.isInteger()) {
                values.put("array." + type, GgufValue.integers(type, 0, 1, 2, 100));
            }
        }
        values.put("array.u64.large", GgufValue.integers(GgufValueType.UINT64, -1L, Long.MAX_VALUE));
        values.put("array.i32", GgufValue.int32s(-1, 0, Integer.MAX_VALUE));
        values.put("array.f32", GgufValue.float32s(1f, -0f, Float.NaN, Float.POSITIVE_INFINITY));
        values.put("array.f64", GgufValue.float64s(1e300, -2));
        values.put("array.bool", GgufValue.bools(true, false, true));
        values.put("array.string", GgufValue.strings(List.of("a", "", "▁the", "<0x0A>")));
        values.put("array.empty", GgufValue.strings(List.of()));
        values.put(
                "array.nested",
                GgufValue.arrays(List.of(
                        GgufValue.int32s(1, 2),
                        GgufValue.strings(List.of("x")),
                        GgufValue.arrays(List.of(GgufValue.float32s(3f))))));
        GgufWriter writer = new GgufWriter();
        values.forEach(writer::put);
        Path path = dir.resolve("meta.gguf");
        writer.write(path);

        try (GgufFile file = GgufFile.open(path)) {
            assertThat(file.version()).isEqualTo(3);
            assertThat(file.tensors()).isEmpty();
            assertThat(file.metadata()).containsExactlyEntriesOf(values);
            assertThat(file.getInt("u8")).isEqualTo(255);
            assertThat(file.getLong("u32")).isEqualTo(0xFFFF_FFFFL);
            assertThat(file.getFloat("f64")).isEqualTo((float) Math.PI);
            assertThat(file.getFloat("i8")).isEqualTo(-128f);
            assertThat(file.getString("string")).isEqualTo("héllo ▁ 🦙 \u0000 end");
            assertThat(file.getStrings("array.string")).containsExactly("a", "", "▁the", "<0x0A>");
            assertThat(file.getInts("array.UINT16")).containsExactly(0, 1, 2, 100);
            assertThat(file.getFloats("array.f64")).containsExactly((float) 1e300, -2f);
            assertThat(file.get("array.nested")
                            .asArrays()
                            .get(2)
                            .asArrays()
                            .get(0)
                            .asFloats())
                    .containsExactly(3f);
            assertThat(file.boolOr("bool.true", false)).isTrue();
            assertThat(file.intOr("absent", 7)).isEqualTo(7);
        }
    }

    @Test
    void gettersNameTheKeyWhenAValueIsMissingOrOfAnotherType() throws IOException {
        Path path = dir.resolve("types.gguf");
        new GgufWriter()
                .putString("name", "x")
                .put("big", GgufValue.uint64(-1L))
                .put("wide", GgufValue.int64(1L << 40))
                .write(path);
        try (GgufFile file = GgufFile.open(path)) {
            assertThatThrownBy(() -> file.getInt("name"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'name'")
                    .hasMessageContaining("STRING");
            assertThatThrownBy(() -> file.getString("llama.block_count"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'llama.block_count'");
            assertThatThrownBy(() -> file.getLong("big"))
                    .hasMessageContaining("'big'")
                    .hasMessageContaining("18446744073709551615");
            assertThatThrownBy(() -> file.getInt("wide"))
                    .hasMessageContaining("'wide'")
                    .hasMessageContaining("int range");
            assertThatThrownBy(() -> file.tensor("token_embd.weight")).hasMessageContaining("'token_embd.weight'");
        }
    }

    @Test
    void tensorsOfEveryTypeRoundTripAtAlignedOffsets() throws IOException {
        Random random = new Random(11);
        int cols = 64;
        int rows = 3;
        float[] values = new float[cols * rows];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        GgufWriter writer = new GgufWriter().put("general.alignment", GgufValue.uint32(64));
        for (RowFormat format : RowFormat.values()) {
            writer.addTensor(
                    "w." + format,
                    GgmlType.of(format),
                    new long[] {cols, rows},
                    out -> format.encode(values, 0, values.length, out, 0));
        }
        byte[] q4k = new byte[144 * 2];
        random.nextBytes(q4k);
        writer.addTensor(
                "k-quant",
                GgmlType.Q4_K,
                new long[] {512},
                out -> MemorySegment.copy(MemorySegment.ofArray(q4k), 0, out, 0, q4k.length));
        writer.addTensor("ids", GgmlType.I32, new long[] {3}, out -> {
            for (int i = 0; i < 3; i++) {
                out.setAtIndex(ValueLayout.JAVA_INT_UNALIGNED, i, i * 10);
            }
        });
        writer.addTensor("bias", GgmlType.F32, new long[] {5, 1, 1, 1}, out -> out.fill((byte) 0));
        Path path = dir.resolve("tensors.gguf");
        writer.write(path);

        try (GgufFile file = GgufFile.open(path)) {
            assertThat(file.alignment()).isEqualTo(64);
            assertThat(file.dataOffset() % 64).isZero();
            assertThat(file.tensors())
                    .extracting(GgufTensor::name)
                    .containsExactly("w.F32", "w.F16", "w.BF16", "w.Q8_0", "w.Q4_0", "k-quant", "ids", "bias");
            for (RowFormat format : RowFormat.values()) {
                GgufTensor tensor = file.tensor("w." + format);
                assertThat(tensor.type()).isEqualTo(GgmlType.of(format));
                assertThat(tensor.shape()).containsExactly(cols, rows);
                assertThat(tensor.rowLength()).isEqualTo(cols);
                assertThat(tensor.rows()).isEqualTo(rows);
                assertThat(tensor.offset() % 64).isZero();
                assertThat(tensor.byteSize()).isEqualTo(format.rowBytes(cols) * rows);
                float[] expected = new float[cols];
                float[] row = new float[cols];
                for (int r = 0; r < rows; r++) {
                    format.decode(
                            MemorySegment.ofArray(encoded(format, values)),
                            r * format.rowBytes(cols),
                            expected,
                            0,
                            cols);
                    tensor.decodeRow(r, row);
                    assertThat(row).as(format + " row " + r).containsExactly(expected);
                }
            }
            GgufTensor kQuant = file.tensor("k-quant");
            assertThat(kQuant.byteSize()).isEqualTo(288);
            assertThat(kQuant.data().toArray(ValueLayout.JAVA_BYTE)).containsExactly(q4k);
            assertThatThrownBy(kQuant::rowFormat)
                    .hasMessageContaining("'k-quant'")
                    .hasMessageContaining("Q4_K");
            assertThat(file.tensor("ids").data().getAtIndex(ValueLayout.JAVA_INT_UNALIGNED, 2))
                    .isEqualTo(20);
            assertThat(file.tensor("bias").shape()).containsExactly(5, 1, 1, 1);
            assertThatThrownBy(() -> file.tensor("bias").data().set(ValueLayout.JAVA_BYTE, 0, (byte) 1))
                    .hasMessageContaining("read-only");
        }
    }

    @Test
    void closingUnmapsTheData() throws IOException {
        Path path = dir.resolve("closed.gguf");
        new GgufWriter()
                .addTensor("t", GgmlType.F32, new long[] {4}, out -> out.fill((byte) 1))
                .write(path);
        GgufFile file = GgufFile.open(path);
        MemorySegment data = file.tensor("t").data();
        assertThat(data.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 1);
        file.close();
        assertThatThrownBy(() -> data.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void filesLargerThanTwoGigabytesAreMappedWhole() throws IOException {
        long rows = 540_000; // 540,000 rows of 1,024 F32 values: 2.2 GB, written sparsely (only two rows touched)
        int cols = 1024;
        Path path = dir.resolve("large.gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .addTensor("small", GgmlType.F32, new long[] {32}, out -> out.fill((byte) 0))
                .addTensor("large", GgmlType.F32, new long[] {cols, rows}, out -> {
                    out.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 0, 1.5f);
                    out.set(ValueLayout.JAVA_FLOAT_UNALIGNED, out.byteSize() - 4, -2.5f);
                })
                .write(path);
        try (GgufFile file = GgufFile.open(path)) {
            GgufTensor large = file.tensor("large");
            assertThat(large.byteSize()).isGreaterThan(Integer.MAX_VALUE);
            float[] row = new float[cols];
            large.decodeRow(rows - 1, row);
            assertThat(row[cols - 1]).isEqualTo(-2.5f);
            large.decodeRow(0, row);
            assertThat(row[0]).isEqualTo(1.5f);
        } finally {
            Files.delete(path);
        }
    }

    @Test
    void theWriterRefusesWhatGgmlCannotHold() {
        GgufWriter writer = new GgufWriter();
        assertThatThrownBy(() -> writer.addTensor("q", GgmlType.Q8_0, new long[] {48, 2}, out -> {}))
                .hasMessageContaining("'q'")
                .hasMessageContaining("48");
        assertThatThrownBy(() -> writer.addTensor("x".repeat(64), GgmlType.F32, new long[] {1}, out -> {}))
                .hasMessageContaining("63 bytes");
        assertThatThrownBy(() -> writer.addTensor("t", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, out -> {}))
                .hasMessageContaining("dimensions");
        writer.putString("k", "v");
        assertThatThrownBy(() -> writer.putString("k", "w")).hasMessageContaining("'k'");
        assertThatThrownBy(() -> writer.put("general.alignment", GgufValue.uint32(48)))
                .hasMessageContaining("power of two");
    }

    @Test
    void aFailingCallbackLeavesNoFileBehind() throws IOException {
        Path path = dir.resolve("failed.gguf");
        GgufWriter writer = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {4}, out -> {
            throw new IOException("source vanished");
        });
        assertThatThrownBy(() -> writer.write(path)).hasMessageContaining("source vanished");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    private static byte[] encoded(RowFormat format, float[] values) {
        byte[] bytes = new byte[(int) format.rowBytes(values.length)];
        format.encode(values, 0, values.length, MemorySegment.ofArray(bytes), 0);
        return bytes;
    }
}
