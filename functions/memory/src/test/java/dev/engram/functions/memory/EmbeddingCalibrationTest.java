package dev.engram.functions.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.engram.memory.embedding.EmbeddingModel;
import dev.engram.memory.embedding.OnnxEmbedder;
import dev.engram.testing.recall.RecallEvaluation;
import dev.engram.testing.recall.RecallSet;
import dev.engram.testing.recall.RecallSet.PairKind;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every model's thresholds are the ones the labelled set calibrates for it ({@link RecallEvaluation}'s
 * rules: minScore gives up at most 1% of recall@3; the dedup distance merges no two different facts),
 * and the default model is the one that ranks best. Editing the set, a model or a threshold without
 * measuring again fails here. Exact cosine, no Redis: the quality test covers the real path.
 */
class EmbeddingCalibrationTest {

    @Test
    void eachModelsThresholdsAreCalibratedOnTheLabelledSetAndTheDefaultRanksBest() {
        RecallSet set = RecallSet.load();
        Map<EmbeddingModel, Double> recallAt3 = new LinkedHashMap<>();
        for (EmbeddingModel model : EmbeddingModel.ALL) {
            RecallEvaluation e = RecallEvaluation.of(set, new OnnxEmbedder(model, 0, false));
            recallAt3.put(model, e.recallAt(3));
            System.out.printf(
                    "%s: recall@1 %.3f, recall@3 %.3f, MRR %.3f; minScore %.2f (calibrated %.2f); dedup %.3f (calibrated %.3f)%n",
                    model.id(),
                    e.recallAt(1),
                    e.recallAt(3),
                    e.mrr(),
                    model.minScore(),
                    e.calibratedMinScore(),
                    model.dedupDistance(),
                    e.calibratedDedupDistance());
            // a tie on the 0.01 grid may tip either way on another CPU's floating point: one step of slack
            assertThat(model.minScore())
                    .as(model.id() + " minScore")
                    .isCloseTo((float) e.calibratedMinScore(), offset(0.011f));
            assertThat(model.dedupDistance())
                    .as(model.id() + " dedup distance")
                    .isCloseTo((float) e.calibratedDedupDistance(), offset(0.0051f));
            assertThat(e.recallAt(3, model.minScore()))
                    .as(model.id() + " recall@3 at its minScore")
                    .isGreaterThanOrEqualTo(e.recallAt(3) - RecallEvaluation.RECALL_GIVEN_UP - 1e-9);
            assertThat(e.mergedAt(PairKind.diff, model.dedupDistance()))
                    .as(model.id() + " different facts merged")
                    .isZero();
            assertThat(e.maxMemorySimilarity())
                    .as(model.id() + " two stored facts merged")
                    .isLessThan(1 - model.dedupDistance());
            assertThat(e.mergedAt(PairKind.same, model.dedupDistance()))
                    .as(model.id() + " same facts merged")
                    .isPositive();
        }
        double best = recallAt3.values().stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElseThrow();
        assertThat(recallAt3.get(EmbeddingModel.E5_SMALL))
                .as("the default's recall@3 among %s", recallAt3)
                .isEqualTo(best);
    }
}
