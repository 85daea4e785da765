package dev.engram.tasks.summarize;

import dev.engram.memory.embedding.Embedder;
import dev.engram.tasks.text.Sentence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Picks the sentences that best stand for a text, without a language model: each sentence is embedded,
 * the target is the document's centroid (or the focus), and sentences are taken by closeness to it,
 * skipping any whose cosine similarity to one already taken reaches {@code duplicateSimilarity} (a
 * summary does not say the same thing twice). The chosen sentences come back in document order,
 * verbatim. (A graded redundancy penalty — maximal marginal relevance — was tried and picked fewer of
 * the sentences people chose on the labelled test set: a text's two key sentences are usually close to
 * each other.)
 */
public final class ExtractiveSummarizer {
    private final Embedder embedder;
    private final double duplicateSimilarity;

    public ExtractiveSummarizer(Embedder embedder, double duplicateSimilarity) {
        this.embedder = embedder;
        this.duplicateSimilarity = duplicateSimilarity;
    }

    public List<Sentence> pick(List<Sentence> sentences, int maxSentences, String focus) {
        if (sentences.size() <= maxSentences) {
            return sentences;
        }
        List<float[]> vectors =
                embedder.embedAll(sentences.stream().map(Sentence::text).toList());
        float[] target = focus == null ? centroid(vectors) : embedder.embed(focus);
        List<Integer> ranked = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            ranked.add(i);
        }
        double[] relevance =
                ranked.stream().mapToDouble(i -> dot(vectors.get(i), target)).toArray();
        ranked.sort(Comparator.comparingDouble((Integer i) -> -relevance[i]).thenComparing(Comparator.naturalOrder()));
        List<Integer> picks = new ArrayList<>();
        for (int candidate : ranked) {
            if (picks.size() == maxSentences) {
                break;
            }
            if (picks.stream().noneMatch(p -> dot(vectors.get(p), vectors.get(candidate)) >= duplicateSimilarity)) {
                picks.add(candidate);
            }
        }
        return picks.stream().sorted().map(sentences::get).toList();
    }

    static float[] centroid(List<float[]> vectors) {
        float[] sum = new float[vectors.getFirst().length];
        for (float[] v : vectors) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += v[i];
            }
        }
        double norm = Math.sqrt(dot(sum, sum));
        for (int i = 0; i < sum.length; i++) {
            sum[i] = norm == 0 ? 0 : (float) (sum[i] / norm);
        }
        return sum;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
