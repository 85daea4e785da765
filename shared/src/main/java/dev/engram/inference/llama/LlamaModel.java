package dev.engram.inference.llama;

import dev.engram.inference.kernels.MatMul;
import dev.engram.inference.kernels.VectorOps;
import dev.engram.inference.kernels.WeightMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Llama-family forward pass over a step of several sequences: decoded tokens of running sequences
 * and prompt chunks of new ones. Decoded tokens go through the layers together (each matrix streamed
 * once for all of them), prompt tokens together through the blocked product; where the native integer
 * kernels take every matrix (they give a token the same bits either way), all of a step's tokens go
 * through together, in one pass over the weights. Each token reads and writes only its own sequence's
 * cache.
 *
 * <p>Not thread-safe: one step at a time (the engine's scheduler thread). The kernels run on the
 * {@link MatMul}'s team.
 */
public final class LlamaModel implements AutoCloseable {
    private final LlamaConfig config;
    private final LlamaWeights weights;
    private final MatMul matMul;
    private final Attention attention;
    private final Buffers decodeBuffers = new Buffers();
    private final Buffers promptBuffers = new Buffers();
    /** Whether a step's decoded and prompt tokens go through the layers together, in one pass over the weights. */
    private final boolean oneGroup;

    /**
     * Takes over {@code weights}, as {@code matMul} multiplies them fastest ({@link MatMul#prepare}); they
     * are closed if that fails (the panels need as much memory again as the quantized weights, briefly).
     */
    public LlamaModel(LlamaConfig config, Rotary rotary, LlamaWeights weights, MatMul matMul) {
        this.config = config;
        try {
            this.weights = weights.prepared(matMul::prepare);
        } catch (RuntimeException | OutOfMemoryError e) {
            weights.close();
            throw e;
        }
        this.matMul = matMul;
        this.attention = new Attention(config, rotary);
        this.oneGroup = Arrays.stream(this.weights.layers())
                .flatMap(layer -> layer.matrices().stream())
                .allMatch(matMul::sameForPromptAndDecoded);
    }

    public MatMul matMul() {
        return matMul;
    }

    public LlamaConfig config() {
        return config;
    }

    public LlamaWeights weights() {
        return weights;
    }

    /** Activations of one group of tokens, reused from step to step (grown, never shrunk). */
    private final class Buffers {
        int capacity;
        float[] x;
        float[] xn;
        float[] q;
        float[] k;
        float[] v;
        float[] att;
        float[] out;
        float[] gate;
        float[] up;

        void ensure(int n) {
            if (n <= capacity) {
                return;
            }
            capacity = Math.max(n, capacity * 2);
            x = new float[capacity * config.embeddingLength()];
            xn = new float[capacity * config.embeddingLength()];
            q = new float[capacity * config.queryDim()];
            k = new float[capacity * config.kvDim()];
            v = new float[capacity * config.kvDim()];
            att = new float[capacity * config.queryDim()];
            out = new float[capacity * config.embeddingLength()];
            gate = new float[capacity * config.feedForwardLength()];
            up = new float[capacity * config.feedForwardLength()];
        }
    }

    /**
     * Computes one step. Every chunk's positions must fit its cache ({@link KvCache#ensure}). Returns
     * the logits asked for, chunk after chunk, {@code vocabularySize} floats per token.
     */
    public float[] forward(List<Chunk> chunks) {
        List<Chunk> decoded = new ArrayList<>();
        List<Chunk> prompts = new ArrayList<>();
        int wanted = 0;
        for (Chunk chunk : chunks) {
            if (chunk.end() > chunk.cache().capacity()) {
                throw new IllegalStateException(
                        "the cache holds " + chunk.cache().capacity() + " positions, the chunk ends at " + chunk.end());
            }
            (chunk.prompt() ? prompts : decoded).add(chunk);
            wanted += chunk.logits();
        }
        float[] finals = new float[wanted * config.embeddingLength()];
        int[] finalSlot = slots(chunks);
        if (oneGroup) {
            run(
                    chunks,
                    !prompts.isEmpty(),
                    prompts.isEmpty() ? decodeBuffers : promptBuffers,
                    chunks,
                    finalSlot,
                    finals);
        } else {
            run(decoded, false, decodeBuffers, chunks, finalSlot, finals);
            run(prompts, true, promptBuffers, chunks, finalSlot, finals);
        }
        float[] logits = new float[wanted * config.vocabSize()];
        float[] normed = new float[finals.length];
        for (int t = 0; t < wanted; t++) {
            VectorOps.rmsNorm(
                    finals,
                    t * config.embeddingLength(),
                    weights.outputNorm(),
                    config.rmsNormEpsilon(),
                    normed,
                    t * config.embeddingLength(),
                    config.embeddingLength());
        }
        matMul.decode(weights.output(), normed, wanted, logits);
        return logits;
    }

    /** Where each chunk's first wanted logits row goes in the result. */
    private static int[] slots(List<Chunk> chunks) {
        int[] slots = new int[chunks.size()];
        int next = 0;
        for (int i = 0; i < chunks.size(); i++) {
            slots[i] = next;
            next += chunks.get(i).logits();
        }
        return slots;
    }

    private void run(List<Chunk> group, boolean prompt, Buffers b, List<Chunk> all, int[] slots, float[] finals) {
        if (group.isEmpty()) {
            return;
        }
        int n = group.stream().mapToInt(c -> c.tokens().length).sum();
        int[] positions = new int[n];
        KvCache[] caches = new KvCache[n];
        b.ensure(n);
        int dim = config.embeddingLength();
        int t = 0;
        for (Chunk chunk : group) {
            for (int i = 0; i < chunk.tokens().length; i++, t++) {
                int token = chunk.tokens()[i];
                if (token < 0 || token >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + token + " is outside the vocabulary");
                }
                weights.embedding().dequantize(token, 1, b.x, t * dim);
                positions[t] = chunk.start() + i;
                caches[t] = chunk.cache();
            }
        }
        float[] rotations = attention.rotations(positions, n);
        int last = config.blockCount() - 1;
        for (int layer = 0; layer < last; layer++) {
            storeKeysAndValues(layer, weights.layers()[layer], n, prompt, b, positions, caches, rotations);
            attendAndFeedForward(layer, weights.layers()[layer], n, prompt, b, positions, caches);
        }
        storeKeysAndValues(last, weights.layers()[last], n, prompt, b, positions, caches, rotations);
        int wanted = keepWantedRows(group, b, positions, caches);
        if (wanted > 0) {
            attendAndFeedForward(last, weights.layers()[last], wanted, prompt, b, positions, caches);
        }
        int row = 0;
        for (Chunk chunk : group) {
            int slot = slots[all.indexOf(chunk)];
            System.arraycopy(b.x, row * dim, finals, slot * dim, chunk.logits() * dim);
            row += chunk.logits();
        }
    }

    /**
     * Moves the rows whose logits are wanted to the front, in order, and returns how many there are.
     * Past its keys and values, the last layer's work on any other row would only be thrown away: a
     * prompt of n tokens needs one row there, not n.
     */
    private int keepWantedRows(List<Chunk> group, Buffers b, int[] positions, KvCache[] caches) {
        int dim = config.embeddingLength();
        int queryDim = config.queryDim();
        int kept = 0;
        int t = 0;
        for (Chunk chunk : group) {
            int length = chunk.tokens().length;
            for (int row = t + length - chunk.logits(); row < t + length; row++, kept++) {
                if (row != kept) {
                    System.arraycopy(b.x, row * dim, b.x, kept * dim, dim);
                    System.arraycopy(b.q, row * queryDim, b.q, kept * queryDim, queryDim);
                    positions[kept] = positions[row];
                    caches[kept] = caches[row];
                }
            }
            t += length;
        }
        return kept;
    }

    /** A layer's first half: normalizes the n rows, computes their queries and stores their keys and values. */
    private void storeKeysAndValues(
            int l,
            LlamaWeights.Layer w,
            int n,
            boolean prompt,
            Buffers b,
            int[] positions,
            KvCache[] caches,
            float[] rotations) {
        int dim = config.embeddingLength();
        int kvDim = config.kvDim();
        int queryDim = config.queryDim();
        int perChunk = perChunk(n);
        matMul.team().forEach(n, perChunk, (from, to) -> {
            for (int t = from; t < to; t++) {
                VectorOps.rmsNorm(b.x, t * dim, w.attentionNorm(), config.rmsNormEpsilon(), b.xn, t * dim, dim);
            }
        });
        multiply(prompt, new WeightMatrix[] {w.query(), w.key(), w.value()}, b.xn, n, new float[][] {b.q, b.k, b.v});
        matMul.team().forEach(n, perChunk, (from, to) -> {
            for (int t = from; t < to; t++) {
                addBias(b.q, t * queryDim, w.queryBias());
                addBias(b.k, t * kvDim, w.keyBias());
                addBias(b.v, t * kvDim, w.valueBias());
                attention.rotate(b.q, t * queryDim, config.headCount(), rotations, t);
                attention.rotate(b.k, t * kvDim, config.headCountKv(), rotations, t);
                Attention.store(caches[t], l, positions[t], b.k, b.v, t, kvDim);
            }
        });
    }

    /** A layer's second half for the first n rows: attention over their caches, then the feed-forward network. */
    private void attendAndFeedForward(
            int l, LlamaWeights.Layer w, int n, boolean prompt, Buffers b, int[] positions, KvCache[] caches) {
        int dim = config.embeddingLength();
        int perChunk = perChunk(n);
        int heads = config.headCount();
        // At most a token's heads to a chunk: a prompt's later tokens attend over more positions, and
        // small chunks keep the members evenly busy.
        int perHeads = Math.max(1, Math.min(heads, n * heads / (matMul.team().size() * 4)));
        matMul.team().forEach(n * heads, perHeads, (from, to) -> {
            for (int item = from; item < to; item++) {
                int t = item / heads;
                attention.attend(b.q, t, item % heads, caches[t], l, positions[t], b.att);
            }
        });
        multiply(prompt, new WeightMatrix[] {w.attentionOutput()}, b.att, n, new float[][] {b.out});
        VectorOps.add(b.x, b.out, n * dim);
        matMul.team().forEach(n, perChunk, (from, to) -> {
            for (int t = from; t < to; t++) {
                VectorOps.rmsNorm(b.x, t * dim, w.ffnNorm(), config.rmsNormEpsilon(), b.xn, t * dim, dim);
            }
        });
        multiply(prompt, new WeightMatrix[] {w.gate(), w.up()}, b.xn, n, new float[][] {b.gate, b.up});
        int hidden = config.feedForwardLength();
        matMul.team()
                .forEach(
                        n * hidden,
                        Math.max(256, n * hidden / matMul.team().size()),
                        (from, to) -> VectorOps.swiGlu(b.gate, b.up, from, to));
        multiply(prompt, new WeightMatrix[] {w.down()}, b.gate, n, new float[][] {b.out});
        VectorOps.add(b.x, b.out, n * dim);
    }

    /** Rows per work item of the per-token loops: four items per team member keep them evenly busy. */
    private int perChunk(int n) {
        return Math.max(1, n / (matMul.team().size() * 4));
    }

    private void multiply(boolean prompt, WeightMatrix[] w, float[] x, int n, float[][] y) {
        if (prompt) {
            matMul.prefill(w, x, n, y);
        } else {
            matMul.decode(w, x, n, y);
        }
    }

    private static void addBias(float[] x, int offset, float[] bias) {
        if (bias != null) {
            for (int i = 0; i < bias.length; i++) {
                x[offset + i] += bias[i];
            }
        }
    }

    @Override
    public void close() {
        weights.close();
    }
}
