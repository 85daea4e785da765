package dev.engram.testing.recall;

import dev.engram.memory.embedding.Embedder;
import dev.engram.testing.recall.RecallSet.Pair;
import dev.engram.testing.recall.RecallSet.PairKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One embedding model on the {@link RecallSet}: every question scored against every stored text by
 * exact cosine (stored texts embedded as passages, questions as queries, the way the model is used),
 * the ranking figures, the score distributions, and the thresholds the set calibrates. Shared by the
 * quality test and the harness so both measure the same thing the same way.
 */
public final class RecallEvaluation {
    /** A threshold may give up this much recall@3 (0.01: one question in a hundred) to keep wrong hits out. */
    public static final double RECALL_GIVEN_UP = 0.01;
    /** The dedup bar sits this far above the most similar pair of different facts. */
    public static final double DEDUP_MARGIN = 0.01;

    private final RecallSet set;
    private final int[] rank;
    private final double[] right;
    private final double[] bestWrong;
    /** Per question (answerable first, then unanswerable): the three best scores and whether each is the answer. */
    private final double[][] top3;

    private final boolean[][] top3Right;
    private final double[] noneTop;
    private final Map<PairKind, List<Double>> pairs = new EnumMap<>(PairKind.class);
    private final double maxMemorySimilarity;

    private RecallEvaluation(RecallSet set, Embedder embedder) {
        this.set = set;
        List<String> memories = set.memories();
        List<float[]> stored = embedder.embedAll(memories);
        int answerable = set.questions().size();
        int all = answerable + set.none().size();
        rank = new int[answerable];
        right = new double[answerable];
        bestWrong = new double[answerable];
        top3 = new double[all][];
        top3Right = new boolean[all][];
        noneTop = new double[set.none().size()];
        for (int q = 0; q < all; q++) {
            boolean isAnswerable = q < answerable;
            String text =
                    isAnswerable ? set.questions().get(q).text() : set.none().get(q - answerable);
            int answer = isAnswerable ? set.memoryIndex(set.questions().get(q).fact()) : -1;
            float[] query = embedder.embedQuery(text);
            double[] scores = new double[memories.size()];
            Integer[] order = new Integer[memories.size()];
            for (int m = 0; m < scores.length; m++) {
                scores[m] = dot(query, stored.get(m));
                order[m] = m;
            }
            Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
            top3[q] = new double[3];
            top3Right[q] = new boolean[3];
            for (int i = 0; i < 3; i++) {
                top3[q][i] = scores[order[i]];
                top3Right[q][i] = order[i] == answer;
            }
            if (isAnswerable) {
                rank[q] = Arrays.asList(order).indexOf(answer) + 1;
                right[q] = scores[answer];
                bestWrong[q] = order[0] == answer ? scores[order[1]] : scores[order[0]];
            } else {
                noneTop[q - answerable] = scores[order[0]];
            }
        }
        double max = -1;
        for (int a = 0; a < stored.size(); a++) {
            for (int b = a + 1; b < stored.size(); b++) {
                max = Math.max(max, dot(stored.get(a), stored.get(b)));
            }
        }
        maxMemorySimilarity = max;
        for (Pair pair : set.pairs()) {
            List<float[]> v = embedder.embedAll(List.of(pair.a(), pair.b()));
            pairs.computeIfAbsent(pair.kind(), kind -> new ArrayList<>()).add(dot(v.get(0), v.get(1)));
        }
    }

    public static RecallEvaluation of(RecallSet set, Embedder embedder) {
        return new RecallEvaluation(set, embedder);
    }

    /** Questions whose fact ranks in the top {@code k}. */
    public double recallAt(int k) {
        return recallAt(k, -1);
    }

    /** Questions whose fact ranks in the top {@code k} and scores at least {@code minScore} (what a recall returns). */
    public double recallAt(int k, double minScore) {
        int found = 0;
        for (int q = 0; q < rank.length; q++) {
            found += rank[q] <= k && right[q] >= minScore ? 1 : 0;
        }
        return found / (double) rank.length;
    }

    /** recall@k over the questions that share no content word with their fact. */
    public double recallAtWithoutSharedWords(int k) {
        int found = 0;
        int count = 0;
        for (int q = 0; q < rank.length; q++) {
            if (!set.questions().get(q).sharesWords()) {
                count++;
                found += rank[q] <= k ? 1 : 0;
            }
        }
        return found / (double) count;
    }

    public long questionsWithoutSharedWords() {
        return set.questions().stream().filter(q -> !q.sharesWords()).count();
    }

    /** Mean reciprocal rank of the fact. */
    public double mrr() {
        return Arrays.stream(rank).mapToDouble(r -> 1.0 / r).average().orElseThrow();
    }

    /**
     * Of the top-3 hits scoring at least {@code minScore} over all questions (answerable or not), the
     * share that is the answer. At most 1/3 when every recall returns three hits.
     */
    public double precisionAt3(double minScore) {
        int returned = 0;
        int correct = 0;
        for (int q = 0; q < top3.length; q++) {
            for (int i = 0; i < 3; i++) {
                if (top3[q][i] >= minScore) {
                    returned++;
                    correct += top3Right[q][i] ? 1 : 0;
                }
            }
        }
        return returned == 0 ? 1 : correct / (double) returned;
    }

    /** Hits (top 3, at least minScore) per question: what a caller gets back on average. */
    public double hitsPerQuestion(double minScore) {
        return Arrays.stream(top3)
                        .mapToLong(
                                s -> Arrays.stream(s).filter(x -> x >= minScore).count())
                        .sum()
                / (double) top3.length;
    }

    /** Unanswerable questions that recall nothing at {@code minScore}. */
    public double noneRejectedAt(double minScore) {
        return Arrays.stream(noneTop).filter(s -> s < minScore).count() / (double) noneTop.length;
    }

    /** The highest minScore (0.01 steps) that gives up at most {@link #RECALL_GIVEN_UP} of recall@3. */
    public double calibratedMinScore() {
        double floor = recallAt(3) - RECALL_GIVEN_UP - 1e-9;
        double best = -1;
        for (int step = -100; step <= 100; step++) {
            double t = step / 100.0;
            if (recallAt(3, t) >= floor) {
                best = t;
            }
        }
        return best;
    }

    /** The dedup distance: 1 − (the most similar different pair or distinct stored texts + the margin), down to 0.005 steps. */
    public double calibratedDedupDistance() {
        double distance = 1 - (mostSimilarDifferent() + DEDUP_MARGIN);
        return Math.max(0, Math.floor(distance * 200 + 1e-9) / 200);
    }

    /** The highest similarity of two texts that must not be merged: diff pairs and any two stored memories. */
    public double mostSimilarDifferent() {
        return Math.max(
                maxMemorySimilarity,
                Arrays.stream(pairSimilarities(PairKind.diff)).max().orElse(-1));
    }

    public double maxMemorySimilarity() {
        return maxMemorySimilarity;
    }

    /** Pairs of {@code kind} merged at {@code dedupDistance} (similarity ≥ 1 − distance), as a share. */
    public double mergedAt(PairKind kind, double dedupDistance) {
        double[] similarities = pairSimilarities(kind);
        if (dedupDistance <= 0) {
            return 0;
        }
        return Arrays.stream(similarities).filter(s -> s >= 1 - dedupDistance).count() / (double) similarities.length;
    }

    public double[] pairSimilarities(PairKind kind) {
        return pairs.getOrDefault(kind, List.of()).stream()
                .mapToDouble(Double::doubleValue)
                .toArray();
    }

    /** The answer's score per answerable question. */
    public double[] rightScores() {
        return right.clone();
    }

    /** The best score of a wrong memory per answerable question. */
    public double[] bestWrongScores() {
        return bestWrong.clone();
    }

    /** The best score per unanswerable question. */
    public double[] noneTopScores() {
        return noneTop.clone();
    }

    /** The answerable questions whose fact is not in the top k, with their rank, for a failure message. */
    public List<String> missesAt(int k) {
        List<String> out = new ArrayList<>();
        for (int q = 0; q < rank.length; q++) {
            if (rank[q] > k) {
                out.add(set.questions().get(q).text() + " (rank " + rank[q] + ", " + String.format("%.3f", right[q])
                        + ")");
            }
        }
        return out;
    }

    /** Linear-interpolated quantile. */
    public static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
