package dev.engram.memory.longterm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.UnitVectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of long-term memory that need no Redis: vector bytes, dot products, filters, FT query text. */
class LongTermPartsTest {

    @Test
    void vectorsRoundTripAsLittleEndianFloat32AndDotIsExact() {
        float[] v = new float[384];
        float[] w = new float[384];
        double expected = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i);
            w[i] = (float) Math.cos(i * 0.5);
            expected += v[i] * w[i];
        }
        byte[] bytes = Vectors.toBytes(v);
        assertThat(bytes).hasSize(384 * 4);
        assertThat(bytes[0]).isZero(); // sin(0) = 0
        float[] matrix = new float[2 * 384];
        Vectors.read(bytes, matrix, 1, 384);
        assertThat(Vectors.dot(w, matrix, 1, 384))
                .isCloseTo((float) expected, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(Vectors.dot(w, matrix, 0, 384)).isZero();
    }

    @Test
    void metaLinesRoundTrip() {
        Segments.Row row = new Segments.Row("ab12", 42, "u:1", null, List.of("a", "b.c"));
        assertThat(Segments.Row.parse(row.line())).isEqualTo(row);
        Segments.Row bare = new Segments.Row("x", 7, null, "s", List.of());
        assertThat(bare.line()).isEqualTo("x|7||s|");
        assertThat(Segments.Row.parse(bare.line())).isEqualTo(bare);
    }

    @Test
    void int8RowsScoreLikeFloat32() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        float[] q = unit(random);
        int dims = q.length;
        byte[] rows = new byte[3 * Vectors.int8RowBytes(dims)];
        float[] expected = new float[3];
        for (int r = 0; r < 3; r++) {
            float[] v = unit(random);
            byte[] row = Vectors.toInt8Row(v);
            assertThat(row).hasSize(4 + dims);
            System.arraycopy(row, 0, rows, r * row.length, row.length);
            for (int i = 0; i < dims; i++) {
                expected[r] += q[i] * v[i];
            }
        }
        for (int r = 0; r < 3; r++) {
            assertThat(Vectors.dotInt8(q, rows, r * Vectors.int8RowBytes(dims), dims))
                    .isCloseTo(expected[r], org.assertj.core.data.Offset.offset(5e-3f));
        }
        // a vector with itself: ~1; the zero (forgotten) row: exactly 0
        byte[] self = Vectors.toInt8Row(q);
        assertThat(Vectors.dotInt8(q, self, 0, dims)).isCloseTo(1f, org.assertj.core.data.Offset.offset(5e-3f));
        assertThat(Vectors.dotInt8(q, new byte[Vectors.int8RowBytes(dims)], 0, dims))
                .isZero();
        assertThat(Vectors.toInt8Row(new float[dims])).containsOnly((byte) 0);
    }

    @Test
    void int8DotCoversEveryLengthNotJustWholeVectorBlocks() {
        // 384 fills the unrolled loop exactly; other lengths go through the single-vector loop and the scalar tail
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int dims : new int[] {1, 7, 8, 45, 63, 384, 389}) {
            float[] q = UnitVectors.random(random, dims);
            byte[] row = Vectors.toInt8Row(UnitVectors.random(random, dims));
            double expected = 0; // the same int8 values, summed one by one
            for (int i = 0; i < dims; i++) {
                expected += q[i] * row[4 + i];
            }
            expected *= Vectors.int8Scale(row, 0);
            assertThat(Vectors.dotInt8(q, row, 0, dims))
                    .as("dims " + dims)
                    .isCloseTo((float) expected, org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    private static float[] unit(java.util.SplittableRandom random) {
        return UnitVectors.random(random, 384);
    }

    @Test
    void filtersMatchOnEveryGivenField() {
        RecallFilter f = new RecallFilter("u", null, List.of("x", "y"), 10L, 20L);
        assertThat(f.matches("u", "any", List.of("x", "y", "z"), 15)).isTrue();
        assertThat(f.matches("v", "any", List.of("x", "y"), 15)).isFalse();
        assertThat(f.matches("u", "any", List.of("x"), 15)).isFalse();
        assertThat(f.matches("u", "any", List.of("x", "y"), 21)).isFalse();
        assertThat(RecallFilter.NONE.matches(null, null, List.of(), 0)).isTrue();
    }

    @Test
    void queryEngineFiltersAreEscapedTagAndNumericClauses() {
        assertThat(QueryEngineIndex.clauses(RecallFilter.NONE)).isEqualTo("*");
        assertThat(QueryEngineIndex.clauses(new RecallFilter("a.b", "s:1", List.of("t-1"), 5L, null)))
                .isEqualTo("@userId:{a\\.b} @sessionId:{s\\:1} @tags:{t\\-1} @createdAt:[5 +inf]");
    }
}
