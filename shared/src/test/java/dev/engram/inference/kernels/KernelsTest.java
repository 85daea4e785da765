package dev.engram.inference.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.quant.RowFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kernel against a plain reference on the same stored weights: dequantise each row with the
 * scalar block codec, multiply in double precision. Sizes include rows that do not fill a chunk and,
 * for F32, rows that do not fill a vector, rows longer than one pass of the prompt kernel and prompts
 * longer than one of its token blocks. The build runs this class at the machine's vector width and
 * again at 256 bits.
 */
class KernelsTest {
    private static Team team;
    private static Arena arena;

    @BeforeAll
    static void start() {
        team = new Team(2);
        arena = Arena.ofShared();
    }

    @AfterAll
    static void stop() {
        team.close();
        arena.close();
    }

    @ParameterizedTest(name = "{0} {1}x{2}, {3} tokens")
    @CsvSource({
        "F32, 1, 1, 11",
        "F32, 7, 17, 11",
        "F32, 37, 67, 11",
        "F32, 130, 256, 11",
        "F32, 9, 1000, 11",
        "Q8_0, 1, 32, 11",
        "Q8_0, 5, 64, 11",
        "Q8_0, 37, 96, 11",
        "Q8_0, 130, 2048, 11",
        "Q4_0, 1, 32, 11",
        "Q4_0, 5, 64, 11",
        "Q4_0, 37, 96, 11",
        "Q4_0, 130, 2048, 11",
        "F32, 37, 300, 140",
        "Q4_0, 21, 512, 140"
    })
    void decodeAndPrefillEqualTheReferenceAndDoNotDependOnTheBatch(RowFormat format, int rows, int cols, int tokens) {
        Random random = new Random(rows * 31L + cols);
        WeightMatrix w = matrix(arena, format, rows, cols, random);
        float[] x = new float[tokens * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        MatMul matMul = new MatMul(team, Optional.empty());
        float[] decoded = new float[tokens * rows];
        matMul.decode(w, x, tokens, decoded);
        float[] prefilled = new float[tokens * rows];
        matMul.prefill(w, x, tokens, prefilled);
        double[][] reference = reference(format, w, x, tokens);
        for (int t = 0; t < tokens; t++) {
            for (int r = 0; r < rows; r++) {
                double tolerance = 2e-5 * reference[1][t * rows + r] + 1e-6;
                assertThat((double) decoded[t * rows + r])
                        .as("decode token %d row %d", t, r)
                        .isCloseTo(reference[0][t * rows + r], org.assertj.core.data.Offset.offset(tolerance));
                assertThat((double) prefilled[t * rows + r])
                        .as("prefill token %d row %d", t, r)
                        .isCloseTo(reference[0][t * rows + r], org.assertj.core.data.Offset.offset(tolerance));
            }
        }
        // The same token alone, or in a smaller batch, or at another place in it: the same bits.
        for (int t = 0; t < tokens; t++) {
            float[] one = Arrays.copyOfRange(x, t * cols, (t + 1) * cols);
            float[] alone = new float[rows];
            matMul.decode(w, one, 1, alone);
            assertThat(alone)
                    .as("decode token %d alone", t)
                    .containsExactly(Arrays.copyOfRange(decoded, t * rows, (t + 1) * rows));
            matMul.prefill(w, one, 1, alone);
            assertThat(alone)
                    .as("prefill token %d alone", t)
                    .containsExactly(Arrays.copyOfRange(prefilled, t * rows, (t + 1) * rows));
        }
        float[] firstThree = new float[3 * rows];
        matMul.decode(w, Arrays.copyOfRange(x, 0, 3 * cols), 3, firstThree);
        assertThat(firstThree).containsExactly(Arrays.copyOfRange(decoded, 0, 3 * rows));
    }

    /** Random weights of a magnitude like a trained model's, stored in {@code format}. */
    static WeightMatrix matrix(Arena arena, RowFormat format, int rows, int cols, Random random) {
        MemorySegment data = arena.allocate(format.rowBytes(cols) * rows, 64);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) (random.nextGaussian() * 0.05);
            }
            format.encode(row, 0, cols, data, r * format.rowBytes(cols));
        }
        return switch (format) {
            case F32 -> new F32Matrix(data, rows, cols);
            case Q8_0 -> new Q8Matrix(data, rows, cols);
            case Q4_0 -> new Q4Matrix(data, rows, cols);
            default -> throw new IllegalArgumentException(format.name());
        };
    }

    /** [0]: the products in double precision from the scalar codec's rows; [1]: the sums of |w·x| (the scale of rounding). */
    private static double[][] reference(RowFormat format, WeightMatrix w, float[] x, int tokens) {
        int rows = w.rows();
        int cols = w.cols();
        double[][] out = {new double[tokens * rows], new double[tokens * rows]};
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            format.decode(w.data(), r * format.rowBytes(cols), row, 0, cols);
            for (int t = 0; t < tokens; t++) {
                double sum = 0;
                double magnitude = 0;
                for (int c = 0; c < cols; c++) {
                    sum += (double) row[c] * x[t * cols + c];
                    magnitude += Math.abs((double) row[c] * x[t * cols + c]);
                }
                out[0][t * rows + r] = sum;
                out[1][t * rows + r] = magnitude;
            }
        }
        return out;
    }
}
