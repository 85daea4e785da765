package dev.engram.inference.kernels;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes every kernel uses, chosen once from the machine's preferred width (256 or 512
 * bits on the machines Engram targets), and a lane sum whose order is fixed.
 *
 * <p>Why a fixed order: the Vector API's {@code reduceLanes(ADD)} adds lanes in one order while a
 * kernel is interpreted and in another once it is compiled, so the same product could differ in its
 * last bit between the first request and later ones, and a greedy choice between two close tokens
 * could flip. Every kernel here sums lanes with {@link #sum}, which adds fixed pairs.
 */
public final class Lanes {
    public static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: 16 (512-bit), 8 (256-bit) or 4 (128-bit). */
    public static final int LENGTH = FLOATS.length();

    public static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    /** 16 bytes: one block's worth of packed 4-bit values, or half a block of 8-bit values. */
    public static final VectorSpecies<Byte> BYTES_16 = ByteVector.SPECIES_128;
    /** Float vectors per block of 32 values. */
    public static final int PER_BLOCK = 32 / LENGTH;

    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private static final VectorShuffle<Float> SWAP_8 = LENGTH >= 16 ? swap(8) : null;
    private static final VectorShuffle<Float> SWAP_4 = LENGTH >= 8 ? swap(4) : null;
    private static final VectorShuffle<Float> SWAP_2 = swap(2);
    private static final VectorShuffle<Float> SWAP_1 = swap(1);

    private Lanes() {}

    private static VectorShuffle<Float> swap(int distance) {
        return VectorShuffle.fromOp(FLOATS, i -> i ^ distance);
    }

    /** The sum of all lanes, added pairwise in a fixed order (lanes i and i ^ d, d halving). */
    public static float sum(FloatVector v) {
        FloatVector s = v;
        if (LENGTH >= 16) {
            s = s.add(s.rearrange(SWAP_8));
        }
        if (LENGTH >= 8) {
            s = s.add(s.rearrange(SWAP_4));
        }
        s = s.add(s.rearrange(SWAP_2));
        s = s.add(s.rearrange(SWAP_1));
        return s.lane(0);
    }

    /**
     * {@link #sum(FloatVector)} of the vector stored at {@code a[offset ..]}. A kernel with several sums
     * to finish stores them and calls this: C2 stops inlining in large methods, and a vector handed to a
     * call that is not inlined is boxed, an array is not.
     */
    public static float sum(float[] a, int offset) {
        return sum(FloatVector.fromArray(FLOATS, a, offset));
    }

    /** Describes the kernels' vector width for logs and reports, e.g. "512-bit vectors". */
    public static String describe() {
        return FLOATS.vectorBitSize() + "-bit vectors";
    }
}
