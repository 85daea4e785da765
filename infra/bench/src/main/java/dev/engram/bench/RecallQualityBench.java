package dev.engram.bench;

import dev.engram.memory.embedding.EmbedderConfig;
import dev.engram.memory.embedding.EmbeddingModel;
import dev.engram.memory.embedding.OnnxEmbedder;
import dev.engram.testing.recall.RecallEvaluation;
import dev.engram.testing.recall.RecallSet;
import dev.engram.testing.recall.RecallSet.PairKind;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recall quality of every embedding model Engram offers, on the project's labelled recall set
 * ({@link RecallSet}): ranking (recall@1, recall@3, MRR, and recall@3 over the questions that share no
 * word with their fact), the scores of right and wrong hits, what the model's default {@code minScore}
 * and dedup distance give, the thresholds the set calibrates, the warm latency of one query embedding
 * and the model jar's size. Exact float32 cosine in the harness: the int8 scan ranks the same
 * (RecallQualityTest checks that on the real path).
 */
final class RecallQualityBench {
    private final List<Row> rows;
    private final EmbedderConfig config;

    RecallQualityBench(List<Row> rows, EmbedderConfig config) {
        this.rows = rows;
        this.config = config;
    }

    void run() throws IOException {
        RecallSet set = RecallSet.load();
        for (EmbeddingModel model : EmbeddingModel.ALL) {
            Bench.progress("recall quality: " + model.id());
            OnnxEmbedder embedder = new OnnxEmbedder(model, config.threads(), config.spin());
            RecallEvaluation e = RecallEvaluation.of(set, embedder);
            String m = model.id() + (model.id().equals(config.model()) ? " (default)" : "") + ": ";
            String sets =
                    set.questions().size() + " questions, " + set.memories().size() + " memories";
            rows.add(Row.of("recall-quality", m + "recall@1", "%", pct(e.recallAt(1)), sets));
            rows.add(Row.of(
                    "recall-quality",
                    m + "recall@3",
                    "%",
                    pct(e.recallAt(3)),
                    "misses: " + e.missesAt(3).size() + "; MRR " + f(e.mrr())));
            rows.add(Row.of(
                    "recall-quality",
                    m + "recall@3, questions sharing no word with the fact",
                    "%",
                    pct(e.recallAtWithoutSharedWords(3)),
                    e.questionsWithoutSharedWords() + " of the questions"));
            rows.add(Row.of(
                    "recall-quality",
                    m + "score of the right fact",
                    "cosine",
                    Stats.of(e.rightScores()),
                    "p5 " + f(RecallEvaluation.quantile(e.rightScores(), 0.05))));
            rows.add(Row.of(
                    "recall-quality",
                    m + "best score of a wrong memory",
                    "cosine",
                    Stats.of(e.bestWrongScores()),
                    "per answerable question"));
            rows.add(Row.of(
                    "recall-quality",
                    m + "best score, unanswerable questions",
                    "cosine",
                    Stats.of(e.noneTopScores()),
                    set.none().size() + " questions nothing answers"));
            double minScore = model.minScore();
            rows.add(Row.of(
                    "recall-quality",
                    m + "recall@3 at the default minScore " + f(minScore),
                    "%",
                    pct(e.recallAt(3, minScore)),
                    String.format(
                            Locale.ROOT,
                            "precision %s, %s hits per question, unanswerable with no hit %s; calibrated minScore %s",
                            f(e.precisionAt3(minScore)),
                            f(e.hitsPerQuestion(minScore)),
                            f(e.noneRejectedAt(minScore)),
                            f(e.calibratedMinScore()))));
            double dedup = model.dedupDistance();
            rows.add(Row.of(
                    "recall-quality",
                    m + "dedup at the default distance " + f(dedup) + ": same-fact pairs merged",
                    "%",
                    pct(e.mergedAt(PairKind.same, dedup)),
                    String.format(
                            Locale.ROOT,
                            "different pairs merged %s, subtle pairs merged %s; most similar different texts %s; calibrated distance %s",
                            f(e.mergedAt(PairKind.diff, dedup)),
                            f(e.mergedAt(PairKind.subtle, dedup)),
                            f(e.mostSimilarDifferent()),
                            f(e.calibratedDedupDistance()))));
            rows.add(Row.of(
                    "recall-quality",
                    m + "query embedding, warm",
                    "ms",
                    Stats.of(queryLatency(embedder, set)),
                    "one question at a time, every question once"));
            rows.add(Row.of(
                    "recall-quality",
                    m + "model jar",
                    "MB",
                    Stats.of(jarMegabytes(model)),
                    "dev.langchain4j:" + model.artifact()));
        }
    }

    private static List<Double> queryLatency(OnnxEmbedder embedder, RecallSet set) {
        List<Double> samples = new ArrayList<>();
        for (RecallSet.Question q : set.questions()) {
            long start = System.nanoTime();
            embedder.embedQuery(q.text());
            samples.add((System.nanoTime() - start) / 1e6);
        }
        return samples;
    }

    private static double jarMegabytes(EmbeddingModel model) throws IOException {
        URL url = RecallQualityBench.class.getClassLoader().getResource(model.onnx());
        if (url == null) {
            throw new IllegalStateException(model.onnx() + " is not on the classpath");
        }
        if (url.openConnection() instanceof JarURLConnection jar) {
            return Files.size(Path.of(jar.getJarFileURL().getPath())) / 1e6;
        }
        throw new IllegalStateException(model.onnx() + " is not in a jar: " + url);
    }

    /** Shares as percentages: the table prints them to a tenth, where 0.947 and 0.95 differ. */
    private static Stats pct(double share) {
        return Stats.of(100 * share);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
