package dev.engram.inference.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import dev.engram.inference.ContinuationScores;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Log-likelihoods of several continuations of one prompt, with the prompt computed once.
 *
 * <p>The prompt runs through one batched forward pass into a KV buffer. Each continuation is then fed
 * from the first position after the prompt; the next continuation writes over the same positions.
 * That is valid because Jlama's attention at position p reads only the keys and values of positions
 * 0..p ({@code getKeyTensorsUptoPosition}), and each continuation rewrites every position it reads
 * beyond the prompt before reading it. The last token of a continuation needs no forward pass: only
 * the logits before it matter, so a one-token label costs one output projection and nothing else.
 *
 * <p>A continuation whose tokenisation does not start with the prompt's tokens (the tokenizer merged
 * across the boundary) is fed from the last shared token instead; those run after all others, longest
 * shared prefix first, so no continuation reads a position another one changed.
 *
 * <p>Not thread-safe: the caller holds the engine's generation turn.
 */
final class ContinuationScorer {
    private final AbstractModel model;
    private final KvBufferCache kvCache;
    private final int vocab;

    ContinuationScorer(AbstractModel model, KvBufferCache kvCache) {
        this.model = model;
        this.kvCache = kvCache;
        this.vocab = model.getConfig().vocabularySize;
    }

    /**
     * Scores {@code sequences.get(i)} (prompt and continuation tokenised together) after {@code prompt}.
     * {@code start} is when the caller began; tokenising and queueing took the given times since.
     */
    ContinuationScores score(int[] prompt, List<int[]> sequences, long start, long tokenizeNanos, long queueNanos) {
        int n = sequences.size();
        int[] shared = new int[n];
        for (int i = 0; i < n; i++) {
            shared[i] = commonPrefix(prompt, sequences.get(i));
        }
        // Clean continuations first, then boundary-merged ones by decreasing shared prefix (see class comment).
        List<Integer> order = IntStream.range(0, n)
                .boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -shared[i]))
                .toList();
        ContinuationScores.Score[] scores = new ContinuationScores.Score[n];
        float[] logits = new float[vocab];
        long promptDone;
        try (KvBufferCache.KvBuffer kv = kvCache.getEphemeralKvBuffer();
                AbstractTensor logitsTensor = model.makeDenseTensor(vocab)) {
            double[] afterPrompt;
            try (AbstractTensor hidden = model.batchForward(prompt, 0, kv)) {
                afterPrompt = logSoftmax(hidden.slice(hidden.shape().first() - 1), logitsTensor, logits);
            }
            promptDone = System.nanoTime();
            for (int i : order) {
                scores[i] = shared[i] == prompt.length
                        ? continue_(sequences.get(i), prompt.length, afterPrompt, kv, logitsTensor, logits)
                        : continue_(sequences.get(i), shared[i] - 1, null, kv, logitsTensor, logits);
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
     * Scores the tokens of {@code sequence} after position {@code from}, given the KV state of the
     * positions before it. With {@code firstLogProbs} (the log-probabilities after position from-1)
     * {@code sequence[from]} is scored too; without, it is only fed and scoring starts after it.
     */
    private ContinuationScores.Score continue_(
            int[] sequence,
            int from,
            double[] firstLogProbs,
            KvBufferCache.KvBuffer kv,
            AbstractTensor logitsTensor,
            float[] logits) {
        int scored = sequence.length - (firstLogProbs != null ? from : from + 1);
        if (scored <= 0) {
            return new ContinuationScores.Score(0, 0);
        }
        double sum = firstLogProbs != null ? firstLogProbs[sequence[from]] : 0;
        // Every token but the last is fed; row r of the output predicts sequence[from + r + 1].
        int[] feed = Arrays.copyOfRange(sequence, from, sequence.length - 1);
        if (feed.length > 0) {
            try (AbstractTensor hidden = model.batchForward(feed, from, kv)) {
                for (int row = 0; row < feed.length; row++) {
                    sum += logSoftmax(hidden.slice(row), logitsTensor, logits)[sequence[from + row + 1]];
                }
            }
        }
        return new ContinuationScores.Score(scored, sum);
    }

    /** The output layer on one hidden row, then log-softmax in double precision. */
    private double[] logSoftmax(AbstractTensor hiddenRow, AbstractTensor logitsTensor, float[] logits) {
        // At temperature 0 Jlama's sample leaves the raw (soft-capped, scaled) logits in the tensor.
        model.sample(hiddenRow, 0f, 0f, logitsTensor);
        java.lang.foreign.MemorySegment.copy(
                logitsTensor.getMemorySegment(), ValueLayout.JAVA_FLOAT_UNALIGNED, 0, logits, 0, vocab);
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[i] - max);
        }
        double logZ = max + Math.log(sum);
        double[] out = new double[vocab];
        for (int i = 0; i < vocab; i++) {
            out[i] = logits[i] - logZ;
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
