package dev.engram.inference.llama;

import dev.engram.inference.kernels.VectorOps;

/**
 * Rotary position embeddings and causal self-attention for one layer over a group of tokens, each
 * reading its own sequence's cache. Every token is computed on its own (no sums across tokens), so its
 * result does not depend on the other tokens of the step.
 */
final class Attention {
    private final LlamaConfig config;
    private final boolean pairs;
    private final float[] frequencies;
    private final float scale;
    private final ThreadLocal<float[]> scores;

    Attention(LlamaConfig config, Rotary rotary) {
        this.config = config;
        this.pairs = rotary.pairs();
        this.frequencies = rotary.frequencies();
        this.scale = (float) (1.0 / Math.sqrt(config.headDim()));
        this.scores = ThreadLocal.withInitial(() -> new float[config.contextLength()]);
    }

    /** cos and sin of every pair's angle at each token's position: {@code [t][i]}, cos then sin. */
    float[] rotations(int[] positions, int n) {
        int half = frequencies.length;
        float[] table = new float[n * half * 2];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < half; i++) {
                float angle = positions[t] * frequencies[i];
                table[(t * half + i) * 2] = (float) StrictMath.cos(angle);
                table[(t * half + i) * 2 + 1] = (float) StrictMath.sin(angle);
            }
        }
        return table;
    }

    /** Rotates {@code heads} heads of token {@code t}'s vector at {@code offset} in {@code x}. */
    void rotate(float[] x, int offset, int heads, float[] rotations, int t) {
        int size = config.headDim();
        int half = size / 2;
        int r = t * half * 2;
        for (int h = 0; h < heads; h++) {
            int base = offset + h * size;
            for (int i = 0; i < half; i++) {
                int a = pairs ? base + 2 * i : base + i;
                int b = pairs ? base + 2 * i + 1 : base + i + half;
                float cos = rotations[r + 2 * i];
                float sin = rotations[r + 2 * i + 1];
                float x0 = x[a];
                float x1 = x[b];
                x[a] = x0 * cos - x1 * sin;
                x[b] = x0 * sin + x1 * cos;
            }
        }
    }

    /** Stores token {@code t}'s key and value rows at its position in its cache. */
    static void store(KvCache cache, int layer, int position, float[] k, float[] v, int t, int kvDim) {
        System.arraycopy(k, t * kvDim, cache.keys(layer, position), cache.offset(position), kvDim);
        System.arraycopy(v, t * kvDim, cache.values(layer, position), cache.offset(position), kvDim);
    }

    /**
     * Head {@code head} of token {@code t}: attends over positions 0..position of its cache, writes the
     * head's output into {@code out}. The cache is read page by page: a page's positions lie {@code kvDim}
     * floats apart ({@link KvCache#offset}).
     */
    void attend(float[] q, int t, int head, KvCache cache, int layer, int position, float[] out) {
        int size = config.headDim();
        int kvDim = config.kvDim();
        int kvOffset = head / (config.headCount() / config.headCountKv()) * size;
        int qo = t * config.queryDim() + head * size;
        int span = position + 1;
        float[] s = scores.get();
        float max = Float.NEGATIVE_INFINITY;
        for (int first = 0; first < span; first += KvCache.PAGE) {
            float[] keys = cache.keys(layer, first);
            int row = cache.offset(first) + kvOffset;
            for (int p = first; p < Math.min(span, first + KvCache.PAGE); p++, row += kvDim) {
                float score = VectorOps.dot(q, qo, keys, row, size) * scale;
                s[p] = score;
                if (score > max) {
                    max = score;
                }
            }
        }
        float sum = 0;
        for (int p = 0; p < span; p++) {
            float e = (float) Math.exp(s[p] - max);
            s[p] = e;
            sum += e;
        }
        float inverse = 1f / sum;
        for (int p = 0; p < span; p++) {
            s[p] *= inverse;
        }
        java.util.Arrays.fill(out, qo, qo + size, 0f);
        for (int first = 0; first < span; first += KvCache.PAGE) {
            int count = Math.min(span, first + KvCache.PAGE) - first;
            VectorOps.addScaledRows(
                    out, qo, s, first, cache.values(layer, first), cache.offset(first) + kvOffset, kvDim, count, size);
        }
    }
}
