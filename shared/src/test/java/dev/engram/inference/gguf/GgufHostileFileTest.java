package dev.engram.inference.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Truncated, corrupted and hand-made malicious files: each is refused with a clear IllegalArgumentException. */
class GgufHostileFileTest {
    @TempDir
    Path dir;

    @Test
    void everyTruncationIsRefusedUntilTheLastTensorIsWhole() throws IOException {
        byte[] valid = validFile();
        long lastEnd;
        try (GgufFile file = open(valid)) {
            GgufTensor last = file.tensors().getLast();
            lastEnd = file.dataOffset() + last.offset() + last.byteSize();
        }
        for (int length = 0; length < valid.length; length++) {
            byte[] truncated = java.util.Arrays.copyOf(valid, length);
            if (length < lastEnd) {
                assertThatThrownBy(() -> open(truncated).close())
                        .as("truncated to %d", length)
                        .isInstanceOf(IllegalArgumentException.class);
            } else {
                open(truncated).close();
            }
        }
    }

    @Test
    void randomCorruptionOpensOrIsRefusedButNeverFailsOtherwise() throws IOException {
        byte[] valid = validFile();
        int headerEnd;
        try (GgufFile file = open(valid)) {
            headerEnd = (int) file.dataOffset();
        }
        Random random = new Random(5);
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] corrupt = valid.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                int at = random.nextInt(headerEnd);
                corrupt[at] = random.nextInt(3) == 0 ? (byte) 0xFF : (byte) random.nextInt(256);
            }
            try {
                open(corrupt).close();
            } catch (IllegalArgumentException e) {
                refused++;
                assertThat(e.getMessage()).isNotBlank();
            } catch (Throwable e) {
                fail("corruption at trial " + trial + " gave " + e, e);
            }
        }
        assertThat(refused).isGreaterThan(1000);
    }

    @Test
    void handMadeMaliciousHeadersAreRefusedWithTheProblemNamed() {
        refused(h -> h.u32(0x46554746), "not a GGUF file");
        refused(h -> header(h, 1, 0, 0), "version 1");
        refused(h -> header(h, 4, 0, 0), "version 4");
        refused(h -> header(h, 0x0300_0000, 0, 0), "big-endian");
        refused(h -> header(h, 3, 1L << 62, 0), "tensor count");
        refused(h -> header(h, 3, 0, -1L), "metadata count");
        refused(
                h -> {
                    header(h, 3, 0, 1);
                    h.u64(Long.MAX_VALUE); // key length
                    pad(h, 64);
                },
                "metadata key");
        refused(
                h -> {
                    header(h, 3, 0, 1);
                    h.string("k");
                    h.u32(GgufValueType.STRING.id());
                    h.u64(1L << 40);
                },
                "'k'");
        refused(
                h -> {
                    header(h, 3, 0, 1);
                    h.string("tokens");
                    h.u32(GgufValueType.ARRAY.id());
                    h.u32(GgufValueType.STRING.id());
                    h.u64(1L << 31); // two billion strings in a few bytes
                },
                "array's length");
        refused(
                h -> {
                    header(h, 3, 0, 1);
                    h.string("bytes");
                    h.u32(GgufValueType.ARRAY.id());
                    h.u32(GgufValueType.UINT8.id());
                    h.u64(GgufParser.MAX_ARRAY_LENGTH + 1L); // fits in the file, but would take 32 MB as longs: refused
                    pad(h, GgufParser.MAX_ARRAY_LENGTH + 9);
                },
                "too long");
        refused(
                h -> {
                    header(h, 3, 0, 1);
                    h.string("k");
                    h.u32(13);
                    h.u64(0);
                },
                "value type 13");
        refused(
                h -> {
                    header(h, 3, 0, 1);
                    h.string("flag");
                    h.u32(GgufValueType.BOOL.id());
                    h.u8(2);
                    h.u64(0);
                },
                "BOOL holds 2");
        refused(
                h -> {
                    header(h, 3, 0, 1);
                    h.string("deep");
                    h.u32(GgufValueType.ARRAY.id());
                    for (int i = 0; i < 20; i++) {
                        h.u32(GgufValueType.ARRAY.id());
                        h.u64(1);
                    }
                    h.u32(GgufValueType.UINT8.id());
                    h.u64(0);
                },
                "nested");
        refused(
                h -> {
                    header(h, 3, 0, 2);
                    h.string("a");
                    h.u32(GgufValueType.UINT8.id());
                    h.u8(1);
                    h.string("a");
                    h.u32(GgufValueType.UINT8.id());
                    h.u8(2);
                    h.u64(0);
                },
                "'a' appears twice");
        refused(
                h -> {
                    header(h, 3, 0, 1);
                    h.string("general.alignment");
                    h.u32(GgufValueType.UINT32.id());
                    h.u32(48);
                    h.u64(0);
                },
                "power of two");
        refused(h -> tensor(h, "t", 5, new long[] {1, 1, 1, 1, 1}, 0, 0), "5 dimensions");
        refused(h -> tensor(h, "t", 2, new long[] {1L << 40, 1L << 40}, 0, 0), "more elements");
        refused(h -> tensor(h, "t", 1, new long[] {-1L}, 0, 0), "absurd dimension");
        refused(h -> tensor(h, "t", 1, new long[] {32}, 99, 0), "unknown GGML tensor type 99");
        refused(h -> tensor(h, "t", 1, new long[] {33}, GgmlType.Q8_0.id(), 0), "33");
        refused(h -> tensor(h, "t", 1, new long[] {4}, 0, 3), "alignment");
        refused(h -> tensor(h, "t", 1, new long[] {4}, 0, 1L << 40), "past the end");
        refused(h -> tensor(h, "t", 1, new long[] {1L << 30}, 0, 0), "past the end");
        refused(
                h -> {
                    header(h, 3, 2, 0);
                    for (int i = 0; i < 2; i++) {
                        h.string("same");
                        h.u32(1);
                        h.u64(8);
                        h.u32(0);
                        h.u64(0);
                    }
                    pad(h, 64);
                },
                "'same' appears twice");
    }

    private static void header(HeaderBytes h, int version, long tensors, long keyValues) {
        h.u32(GgufParser.MAGIC);
        h.u32(version);
        h.u64(tensors);
        h.u64(keyValues);
    }

    private static void tensor(HeaderBytes h, String name, int dims, long[] shape, int type, long offset) {
        header(h, 3, 1, 0);
        h.string(name);
        h.u32(dims);
        for (long d : shape) {
            h.u64(d);
        }
        h.u32(type);
        h.u64(offset);
        pad(h, 128);
    }

    private static void pad(HeaderBytes h, int bytes) {
        for (int i = 0; i < bytes; i++) {
            h.u8(0);
        }
    }

    private void refused(Consumer<HeaderBytes> content, String message) {
        HeaderBytes h = new HeaderBytes();
        content.accept(h);
        byte[] bytes = h.toByteArray();
        assertThatThrownBy(() -> open(bytes).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    private byte[] validFile() throws IOException {
        Path path = dir.resolve("valid.gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUint32("llama.block_count", 2)
                .put("tokenizer.ggml.tokens", GgufValue.strings(List.of("<unk>", "a", "b")))
                .put("tokenizer.ggml.scores", GgufValue.float32s(0f, -1f, -2f))
                .put("nested", GgufValue.arrays(List.of(GgufValue.int32s(1, 2))))
                .addTensor("a", GgmlType.F32, new long[] {8, 2}, out -> out.fill((byte) 1))
                .addTensor("b", GgmlType.Q8_0, new long[] {32}, out -> out.fill((byte) 2))
                .write(path);
        return Files.readAllBytes(path);
    }

    private GgufFile open(byte[] bytes) throws IOException {
        Path path = Files.createTempFile(dir, "hostile", ".gguf");
        Files.write(path, bytes);
        return GgufFile.open(path);
    }
}
