package dev.engram.inference.kernels;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix of {@code rows × cols} values in one storage format, read in place from its memory
 * segment (a memory-mapped model file or an off-heap copy quantised at load). Row {@code r} holds the
 * weights of output {@code r}; a product is {@code y[t][r] = Σ_c W[r][c] · x[t][c]}.
 *
 * <p>Two ways to multiply, each with arithmetic that does not depend on how many tokens are
 * multiplied together, so a sequence's results never depend on who shares its batch:
 * {@link #decode} unpacks each block of weights once for up to four tokens (decode steps and the
 * output head), and {@link #dequantize} writes rows out as floats for the blocked product of long
 * prompts ({@link Gemm}).
 */
public sealed interface WeightMatrix permits F32Matrix, Q8Matrix, Q4Matrix {

    int rows();

    int cols();

    /** Bytes of weights, what one pass over the matrix reads from memory. */
    long bytes();

    /** The storage format's name as GGUF spells it: F32, Q8_0, Q4_0. */
    String format();

    /** Whether {@link #decode} needs {@link #blockSums} of its input. */
    default boolean needsBlockSums() {
        return false;
    }

    /**
     * For each token and each block of 32 input values, 8 × their sum: what lets 4-bit weights be
     * multiplied unsigned and corrected once per block. Null when the format does not need it.
     */
    static float[] blockSums(float[] x, int tokens, int cols) {
        int blocks = cols / 32;
        float[] sums = new float[tokens * blocks];
        for (int t = 0; t < tokens; t++) {
            for (int b = 0; b < blocks; b++) {
                float s = 0;
                int base = t * cols + b * 32;
                for (int i = 0; i < 32; i++) {
                    s += x[base + i];
                }
                sums[t * blocks + b] = 8 * s;
            }
        }
        return sums;
    }

    /**
     * Rows {@code [from, to)} of the product for tokens {@code first .. first + tokens - 1} (1, 2 or 4
     * of them): {@code x} holds all tokens' inputs one after the other ({@code cols} each),
     * {@code y[t * rows() + r]} receives token {@code t}'s outputs, {@code sums} are the inputs'
     * {@link #blockSums} when {@link #needsBlockSums}.
     */
    void decode(float[] x, float[] sums, int first, int tokens, float[] y, int from, int to);

    /** Writes rows {@code [row, row + count)} as floats into {@code out} from {@code offset}, row after row. */
    default void dequantize(int row, int count, float[] out, int offset) {
        dequantize(row, count, 0, cols(), out, offset);
    }

    /**
     * Writes columns {@code [col, col + width)} of rows {@code [row, row + count)} as floats into
     * {@code out} from {@code offset}, {@code width} values per row; for block formats {@code col} and
     * {@code width} are whole blocks.
     */
    void dequantize(int row, int count, int col, int width, float[] out, int offset);

    /** The storage, for writers and tests. */
    MemorySegment data();
}
