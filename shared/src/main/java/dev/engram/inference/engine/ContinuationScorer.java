package dev.engram.inference.engine;

import dev.engram.inference.ContinuationScores;
import dev.engram.inference.llama.Chunk;
import dev.engram.inference.llama.KvCache;
import dev.engram.inference.llama.KvPool;
import dev.engram.inference.llama.LlamaModel;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Log-likelihoods of several continuations of one prompt, the prompt computed once. Each continuation
 * is computed from the first position after the prompt; the next one writes over the same positions,
 * which is sound because a position only reads positions before it. A continuation whose tokens do not
 * start with the prompt's (the tokenizer merged across the boundary) starts at the last shared token
 * and rewrites prompt positions, so those run last, longest shared prefix first.
 *
 * <p>Runs on the scheduler thread ({@link Scheduler#exclusive}).
 */
final class ContinuationScorer {
    private final LlamaModel model;
    private final KvPool pool;

    ContinuationScorer(LlamaModel model, KvPool pool) {
        this.model = model;
        this.pool = pool;
    }

    /** Scores {@code sequences.get(i)} (prompt and continuation tokenised together) after {@code prompt}. */
    ContinuationScores score(int[] prompt, List<int[]> sequences, long start, long tokenizeNanos) {
        long queueNanos = System.nanoTime() - start - tokenizeNanos;
        int n = sequences.size();
        int[] shared = sequences.stream().mapToInt(s -> commonPrefix(prompt, s)).toArray();
        List<Integer> order = IntStream.range(0, n)
                .boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -shared[i]))
                .toList();
        int longest = sequences.stream().mapToInt(s -> s.length).max().orElse(prompt.length);
        ContinuationScores.Score[] scores = new ContinuationScores.Score[n];
        long promptDone;
        try (KvCache cache = new KvCache(pool, model.config())) {
            if (!cache.ensure(Math.max(longest, prompt.length))) {
                throw new dev.engram.errors.UnavailableException(
                        "kv_memory",
                        "No key/value memory is free for scoring now. Retry later.",
                        java.time.Duration.ofSeconds(1));
            }
            double[] afterPrompt = logSoftmax(model.forward(List.of(new Chunk(prompt, 0, cache, true, 1))), 0);
            promptDone = System.nanoTime();
            for (int i : order) {
                int[] sequence = sequences.get(i);
                scores[i] = shared[i] == prompt.length
                        ? score(sequence, prompt.length, afterPrompt, cache)
                        : score(sequence, shared[i] - 1, null, cache);
            }
        }
        long end = System.nanoTime();
        return new ContinuationScores(
                prompt.length,
                List.of(scores),
                tokenizeNanos,
                queueNanos,
                promptDone - start - tokenizeNanos - queueNanos,
                end - promptDone,
                end - start);
    }

    /**
     * Scores {@code sequence}'s tokens after position {@code from}. With {@code firstLogProbs} (the
     * distribution after position from-1) {@code sequence[from]} is scored too; without, it is fed and
     * scoring starts after it.
     */
    private ContinuationScores.Score score(int[] sequence, int from, double[] firstLogProbs, KvCache cache) {
        int scored = sequence.length - (firstLogProbs != null ? from : from + 1);
        if (scored <= 0) {
            return new ContinuationScores.Score(0, 0);
        }
        double sum = firstLogProbs != null ? firstLogProbs[sequence[from]] : 0;
        int[] feed = Arrays.copyOfRange(sequence, from, sequence.length - 1);
        if (feed.length > 0) {
            float[] logits = model.forward(List.of(new Chunk(feed, from, cache, true, feed.length)));
            for (int row = 0; row < feed.length; row++) {
                sum += logSoftmax(logits, row)[sequence[from + row + 1]];
            }
        }
        return new ContinuationScores.Score(scored, sum);
    }

    /** Log-probabilities of row {@code row}, in double precision. */
    private double[] logSoftmax(float[] logits, int row) {
        int vocab = model.config().vocabSize();
        int offset = row * vocab;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        double logZ = max + Math.log(sum);
        double[] out = new double[vocab];
        for (int i = 0; i < vocab; i++) {
            out[i] = logits[offset + i] - logZ;
        }
        return out;
    }

    static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }
}
