package dev.engram.memory.longterm;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(Vectors.dot(w, matrix, 1, 384)).isCloseTo((float) expected, org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(Vectors.dot(w, matrix, 0, 384)).isZero();
    }

    @Test
    void metaLinesRoundTrip() {
        String line = ScanIndex.Meta.line(42, "u:1", null, List.of("a", "b.c"));
        assertThat(ScanIndex.Meta.parse(line)).isEqualTo(new ScanIndex.Meta(42, "u:1", null, List.of("a", "b.c")));
        assertThat(ScanIndex.Meta.parse(ScanIndex.Meta.line(7, null, "s", List.of()))).isEqualTo(new ScanIndex.Meta(7, null, "s", List.of()));
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
