package dev.engram.inference.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.engram.inference.quant.RowFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native integer kernels against plain products in double precision: of the quantized weights with
 * the quantized inputs (equal within float rounding), and with the float inputs (within the bound the
 * inputs' rounding allows). Each variant the processor runs is tested, and they must agree bit for bit.
 * The native F32 rows must give the Vector API kernel's bits.
 */
class NativeKernelsTest {
    private static Arena arena;

    @BeforeAll
    static void start() {
        arena = Arena.ofShared();
    }

    @AfterAll
    static void stop() {
        arena.close();
    }

    @Test
    void loadsOnLinuxX86WithAvx2() {
        boolean x86Linux =
                "Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"));
        assumeTrue(x86Linux, "the library is built for Linux on x86-64 only");
        assertThat(NativeKernels.unavailableReason()).isEmpty();
        assertThat(NativeKernels.best()).isPresent();
    }

    @Test
    void theBestVariantKeepsToTheJvmsVectorWidth() {
        Optional<NativeKernels> best = NativeKernels.best();
        assumeTrue(best.isPresent(), () -> "no native kernels: " + NativeKernels.unavailableReason());
        boolean wideJvm = VectorShape.preferredShape().vectorBitSize() >= 512;
        boolean vnniHere = NativeKernels.of(NativeKernels.Variant.VNNI).isPresent();
        boolean amxHere = NativeKernels.of(NativeKernels.Variant.AMX).isPresent();
        // the vector-256 execution runs this with -XX:MaxVectorSize=32: AVX2 there even on an AVX-512 machine
        assertThat(best.get().variant())
                .isEqualTo(
                        !wideJvm
                                ? NativeKernels.Variant.AVX2
                                : amxHere
                                        ? NativeKernels.Variant.AMX
                                        : vnniHere ? NativeKernels.Variant.VNNI : NativeKernels.Variant.AVX2);
    }

    @Test
    void quantizesEachBlockWithinHalfAStep() {
        NativeKernels kernels = kernels(NativeKernels.Variant.AVX2);
        Random random = new Random(7);
        float[] x = new float[3 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * (i < 32 ? 0 : 1 + i % 5));
        }
        NativeKernels.Input in = kernels.quantize(x, 3, 64);
        for (int b = 0; b < 6; b++) {
            float max = 0;
            int sum = 0;
            for (int i = b * 32; i < (b + 1) * 32; i++) {
                max = Math.max(max, Math.abs(x[i]));
                sum += in.q()[i];
            }
            assertThat(in.d()[b]).as("scale of block %d", b).isEqualTo(max / 127);
            assertThat(in.c()[b]).as("correction of block %d", b).isEqualTo(-8 * sum);
            for (int i = b * 32; i < (b + 1) * 32; i++) {
                assertThat(Math.abs(in.q()[i])).isLessThanOrEqualTo(127);
                assertThat((double) in.q()[i] * in.d()[b]).isCloseTo(x[i], offset(in.d()[b] * 0.5001 + 1e-30));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2}, {3} tokens")
    @CsvSource({
        "Q4_0, 1, 32, 9",
        "Q4_0, 5, 96, 9",
        "Q4_0, 37, 224, 9",
        "Q4_0, 130, 2048, 6",
        "Q8_0, 1, 32, 9",
        "Q8_0, 5, 96, 9",
        "Q8_0, 37, 224, 9",
        "Q8_0, 130, 2048, 6"
    })
    void decodingEqualsTheReferenceInEveryVariantAndDoesNotDependOnTheBatch(
            RowFormat format, int rows, int cols, int tokens) {
        WeightMatrix w = KernelsTest.matrix(arena, format, rows, cols, new Random(rows * 31L + cols));
        float[] x = inputs(tokens, cols, new Random(rows));
        NativeKernels avx2 = kernels(NativeKernels.Variant.AVX2);
        NativeKernels.Input in = avx2.quantize(x, tokens, cols);
        float[] y = new float[tokens * rows];
        avx2.multiply(w, in, y, 0, rows);
        assertEqualsTheReference(format, w, x, in, y);
        assertDoesNotDependOnTheBatch(avx2, w, x, in, y, rows / 2);

        Optional<NativeKernels> vnni = NativeKernels.of(NativeKernels.Variant.VNNI);
        assumeTrue(vnni.isPresent(), "this processor lacks AVX-512 VNNI; only the AVX2 variant ran");
        float[] viaVnni = new float[tokens * rows];
        vnni.get().multiply(w, in, viaVnni, 0, rows);
        assertThat(viaVnni).as("VNNI against AVX2").containsExactly(y);
    }

    /**
     * Rows beyond a multiple of 16, columns beyond the AMX kernel's pass of 64 blocks, one token to
     * several tiles of 8 on VNNI; for AMX, whole tiles of sixteen tokens, last tiles of 1, 8 and 12
     * tokens, fewer than 12 tokens in all (on VNNI), an odd number of blocks.
     */
    static Stream<Arguments> panelCases() {
        return Stream.of(
                arguments(RowFormat.Q4_0, 1, 32, 1),
                arguments(RowFormat.Q4_0, 37, 224, 3),
                arguments(RowFormat.Q4_0, 37, 224, 11),
                arguments(RowFormat.Q4_0, 130, 2048, 9),
                arguments(RowFormat.Q4_0, 21, 2080, 17),
                arguments(RowFormat.Q4_0, 48, 64, 8),
                arguments(RowFormat.Q4_0, 37, 224, 16),
                arguments(RowFormat.Q4_0, 130, 2048, 28),
                arguments(RowFormat.Q4_0, 21, 2080, 40),
                arguments(RowFormat.Q4_0, 33, 96, 13),
                arguments(RowFormat.Q8_0, 1, 32, 1),
                arguments(RowFormat.Q8_0, 37, 224, 3),
                arguments(RowFormat.Q8_0, 130, 2048, 9),
                arguments(RowFormat.Q8_0, 48, 64, 8),
                arguments(RowFormat.Q8_0, 21, 2080, 17),
                arguments(RowFormat.Q8_0, 33, 96, 13));
    }

    /**
     * Q4_0 and Q8_0 in panels (the VNNI variant), packed in pieces: against the reference, cut anywhere,
     * each token alone, and the AVX2 variant's rows over the stored matrix must all give the same bits.
     */
    @ParameterizedTest(name = "{0} {1}x{2}, {3} tokens")
    @MethodSource("panelCases")
    void panelsEqualTheReferenceTheStoredMatrixAndEachTokenAlone(RowFormat format, int rows, int cols, int tokens) {
        NativeKernels avx2 = kernels(NativeKernels.Variant.AVX2);
        Optional<NativeKernels> vnni = NativeKernels.of(NativeKernels.Variant.VNNI);
        assumeTrue(vnni.isPresent(), "panels need AVX-512 VNNI, which this processor lacks");
        NativeKernels kernels = vnni.get();
        WeightMatrix stored = KernelsTest.matrix(arena, format, rows, cols, new Random(rows * 17L + cols));
        assertThat(avx2.packs(stored)).isFalse();
        assertThat(kernels.packs(stored)).isTrue();
        WeightMatrix w = inPanels(kernels, stored);
        assertThat(kernels.packs(w)).isFalse();
        assertThat(kernels.takes(w)).isTrue();
        assertThat(kernels.takes(stored)).as("in rows: the row kernel").isTrue();

        float[] x = inputs(tokens, cols, new Random(cols));
        NativeKernels.Input in = kernels.quantize(x, tokens, cols);
        float[] y = new float[tokens * rows];
        kernels.multiply(w, in, y, 0, rows);
        assertEqualsTheReference(format, w, x, in, y);
        assertDoesNotDependOnTheBatch(kernels, w, x, in, y, Math.min(rows, 7));
        float[] viaRows = new float[y.length];
        avx2.multiply(stored, in, viaRows, 0, rows);
        assertThat(viaRows).as("AVX2 rows against VNNI panels").containsExactly(y);
    }

    /** Where AMX is usable: its panel kernel (Q4_0; Q8_0 panels stay with VNNI) gives VNNI's bits. */
    @ParameterizedTest(name = "{0} {1}x{2}, {3} tokens")
    @MethodSource("panelCases")
    void amxPanelsEqualVnniPanels(RowFormat format, int rows, int cols, int tokens) {
        Optional<NativeKernels> amx = NativeKernels.of(NativeKernels.Variant.AMX);
        assumeTrue(amx.isPresent(), "this processor or kernel offers no AMX tiles");
        NativeKernels vnni = kernels(NativeKernels.Variant.VNNI);
        WeightMatrix w = inPanels(vnni, KernelsTest.matrix(arena, format, rows, cols, new Random(rows * 17L + cols)));
        float[] x = inputs(tokens, cols, new Random(cols));
        float[] y = new float[tokens * rows];
        vnni.multiply(w, vnni.quantize(x, tokens, cols), y, 0, rows);
        NativeKernels.Input tiled = amx.get().quantize(x, tokens, cols);
        assertThat(tiled.tiles() != null).as("laid out in tiles").isEqualTo(tokens >= 12);
        float[] viaTiles = new float[y.length];
        amx.get().multiply(w, tiled, viaTiles, 0, rows);
        assertThat(viaTiles).as("AMX panels against VNNI panels").containsExactly(y);
        assertDoesNotDependOnTheBatch(amx.get(), w, x, tiled, y, Math.min(rows, 7));
    }

    /** {@code stored} packed into panels by {@code kernels}, the first group last (packing in pieces). */
    private static WeightMatrix inPanels(NativeKernels kernels, WeightMatrix stored) {
        int rows = stored.rows();
        MemorySegment panels = arena.allocate(NativeKernels.panelBytes(stored), 64);
        int first = rows > 16 ? 16 : rows;
        if (first < rows) {
            kernels.pack(stored, panels, first, rows);
        }
        kernels.pack(stored, panels, 0, first);
        return stored instanceof Q4Matrix
                ? new Q4Matrix(stored.data(), rows, stored.cols(), panels)
                : new Q8Matrix(stored.data(), rows, stored.cols(), panels);
    }

    @ParameterizedTest(name = "F32 {0}x{1}, {2} tokens")
    @CsvSource({"1, 1, 1", "7, 17, 3", "37, 67, 5", "130, 256, 8", "9, 1000, 2", "66, 2048, 1"})
    void f32RowsEqualTheVectorApiKernelBitForBit(int rows, int cols, int tokens) {
        Optional<NativeKernels> best = NativeKernels.best();
        assumeTrue(best.isPresent(), () -> "no native kernels: " + NativeKernels.unavailableReason());
        // Both executions (512-bit and 256-bit vectors) pick a variant whose vectors are the JVM's width.
        assertThat(best.get().decodesF32())
                .as("an F32 kernel at " + Lanes.describe())
                .isTrue();
        Random random = new Random(rows * 31L + cols);
        F32Matrix w = (F32Matrix) KernelsTest.matrix(arena, RowFormat.F32, rows, cols, random);
        float[] x = inputs(tokens, cols, random);
        float[] expected = new float[tokens * rows];
        for (int t = 0; t < tokens; t++) {
            w.decode(x, null, t, 1, expected, 0, rows);
        }
        float[] y = new float[tokens * rows];
        best.get().decode(w, x, tokens, y, 0, rows);
        assertThat(y).as("native against the Vector API, every token").containsExactly(expected);
        float[] cut = new float[y.length];
        int split = Math.min(rows, 5);
        best.get().decode(w, x, tokens, cut, 0, split);
        best.get().decode(w, x, tokens, cut, split, rows);
        assertThat(cut).as("rows cut at %d", split).containsExactly(y);
        assertThatThrownBy(() -> best.get().decode(w, x, tokens + 1, new float[(tokens + 1) * rows], 0, rows))
                .as("more tokens than the inputs hold")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> best.get().decode(w, x, tokens, y, 0, rows + 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static float[] inputs(int tokens, int cols, Random random) {
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /**
     * {@code y} against double-precision products: with the quantized inputs within float rounding, with
     * the float inputs within what the inputs' rounding (half a step per value) allows.
     */
    private static void assertEqualsTheReference(
            RowFormat format, WeightMatrix w, float[] x, NativeKernels.Input in, float[] y) {
        int rows = w.rows();
        int cols = w.cols();
        float[] weights = new float[cols];
        for (int r = 0; r < rows; r++) {
            format.decode(w.data(), r * format.rowBytes(cols), weights, 0, cols);
            for (int t = 0; t < in.tokens(); t++) {
                double quantized = 0;
                double exact = 0;
                double magnitude = 0;
                double inputRounding = 0;
                for (int c = 0; c < cols; c++) {
                    int i = t * cols + c;
                    float scale = in.d()[i / 32];
                    quantized += (double) weights[c] * in.q()[i] * scale;
                    exact += (double) weights[c] * x[i];
                    magnitude += Math.abs((double) weights[c] * x[i]);
                    inputRounding += Math.abs(weights[c]) * scale * 0.5;
                }
                float got = y[t * rows + r];
                assertThat((double) got)
                        .as("token %d row %d against the quantized inputs", t, r)
                        .isCloseTo(quantized, offset(2e-5 * magnitude + 1e-6));
                assertThat((double) got)
                        .as("token %d row %d against the float inputs", t, r)
                        .isCloseTo(exact, offset(inputRounding + 2e-5 * magnitude + 1e-6));
            }
        }
    }

    /** Each token alone, and the rows cut in two at {@code split}: the same bits as {@code y}. */
    private static void assertDoesNotDependOnTheBatch(
            NativeKernels kernels, WeightMatrix w, float[] x, NativeKernels.Input in, float[] y, int split) {
        int rows = w.rows();
        int cols = w.cols();
        for (int t = 0; t < in.tokens(); t++) {
            float[] alone = new float[rows];
            NativeKernels.Input one = kernels.quantize(Arrays.copyOfRange(x, t * cols, (t + 1) * cols), 1, cols);
            kernels.multiply(w, one, alone, 0, rows);
            assertThat(alone).as("token %d alone", t).containsExactly(Arrays.copyOfRange(y, t * rows, (t + 1) * rows));
        }
        float[] cut = new float[y.length];
        kernels.multiply(w, in, cut, 0, split);
        kernels.multiply(w, in, cut, split, rows);
        assertThat(cut).as("rows cut at %d", split).containsExactly(y);
    }

    @Test
    void refusesWhatWouldReadOrWriteOutOfBounds() {
        NativeKernels kernels = kernels(NativeKernels.Variant.AVX2);
        WeightMatrix w = KernelsTest.matrix(arena, RowFormat.Q4_0, 4, 64, new Random(1));
        NativeKernels.Input in = kernels.quantize(new float[2 * 64], 2, 64);
        assertThatThrownBy(() -> kernels.multiply(w, in, new float[8], 0, 5))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> kernels.multiply(w, in, new float[7], 0, 4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kernels.multiply(w, kernels.quantize(new float[96], 1, 96), new float[8], 0, 4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kernels.quantize(new float[64], 2, 64)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NativeKernels.Input(new byte[63], new float[2], new int[2], 1, 64, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kernels.multiply(
                        KernelsTest.matrix(arena, RowFormat.F32, 4, 64, new Random(1)), in, new float[8], 0, 4))
                .isInstanceOf(IllegalArgumentException.class);

        Optional<NativeKernels> vnni = NativeKernels.of(NativeKernels.Variant.VNNI);
        assumeTrue(vnni.isPresent(), "panels need AVX-512 VNNI, which this processor lacks");
        Q4Matrix tall = (Q4Matrix) KernelsTest.matrix(arena, RowFormat.Q4_0, 40, 64, new Random(2));
        assertThatThrownBy(() -> vnni.get().pack(tall, arena.allocate(Q4Matrix.panelBytes(40, 64)), 8, 40))
                .as("not a whole group of sixteen")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vnni.get().pack(tall, arena.allocate(Q4Matrix.bytesFor(40, 64)), 0, 40))
                .as("no room for the padded last group")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Q4Matrix(tall.data(), 40, 64, arena.allocate(Q4Matrix.bytesFor(40, 64))))
                .isInstanceOf(IllegalArgumentException.class);
        Q8Matrix tallQ8 = (Q8Matrix) KernelsTest.matrix(arena, RowFormat.Q8_0, 40, 64, new Random(3));
        assertThatThrownBy(() -> vnni.get().pack(tallQ8, arena.allocate(Q8Matrix.bytesFor(40, 64)), 0, 40))
                .as("no room for the padded last group")
                .isInstanceOf(IllegalArgumentException.class);
        WeightMatrix floats = KernelsTest.matrix(arena, RowFormat.F32, 16, 64, new Random(4));
        assertThatThrownBy(() -> vnni.get().pack(floats, arena.allocate(4096), 0, 16))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static NativeKernels kernels(NativeKernels.Variant variant) {
        assumeTrue(NativeKernels.best().isPresent(), () -> "no native kernels: " + NativeKernels.unavailableReason());
        return NativeKernels.of(variant).orElseThrow();
    }
}
