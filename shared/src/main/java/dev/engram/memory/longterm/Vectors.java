package dev.engram.memory.longterm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Vector bytes as Redis keeps them (float32 little-endian, what the query engine expects) and dot products. */
final class Vectors {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private Vectors() {}

    static byte[] toBytes(float[] v) {
        ByteBuffer buffer = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(v);
        return buffer.array();
    }

    /** Copies the vector into row {@code row} of a packed matrix. */
    static void read(byte[] bytes, float[] matrix, int row, int dims) {
        if (bytes.length != dims * Float.BYTES) {
            throw new IllegalStateException("A stored vector has " + bytes.length + " bytes, expected " + dims * Float.BYTES);
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(matrix, row * dims, dims);
    }

    /** q · matrix[row]; with unit vectors, the cosine similarity. */
    static float dot(float[] q, float[] matrix, int row, int dims) {
        int offset = row * dims;
        int i = 0;
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int bound = SPECIES.loopBound(dims); i < bound; i += SPECIES.length()) {
            acc = FloatVector.fromArray(SPECIES, q, i).fma(FloatVector.fromArray(SPECIES, matrix, offset + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dims; i++) {
            sum += q[i] * matrix[offset + i];
        }
        return sum;
    }
}
