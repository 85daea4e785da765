package dev.engram.inference.llama;

/**
 * How a checkpoint applies rotary position embeddings: which dimensions rotate together, and each
 * pair's rotation speed.
 *
 * @param pairs true when dimensions 2i and 2i+1 rotate together (GGUF's llama layout, llama2.c), false
 *     when i rotates with i + headDim/2 (Hugging Face checkpoints, GGUF's qwen2)
 * @param frequencies radians per position for each pair, after any long-context scaling
 */
public record Rotary(boolean pairs, float[] frequencies) {

    /** {@code factors} divide the frequencies (Llama 3.1's per-frequency scaling; null for none). */
    public static Rotary of(LlamaConfig config, boolean pairs, float[] factors) {
        int half = config.headDim() / 2;
        if (factors != null && factors.length != half) {
            throw new IllegalArgumentException(
                    "the model has " + factors.length + " RoPE factors for " + half + " frequency pairs");
        }
        float linear =
                config.ropeScaling() != null && config.ropeScaling().type().equals("linear")
                        ? config.ropeScaling().factor()
                        : 1f;
        float[] frequencies = new float[half];
        for (int i = 0; i < half; i++) {
            float frequency = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim()));
            frequencies[i] = frequency / linear / (factors == null ? 1f : factors[i]);
        }
        return new Rotary(pairs, frequencies);
    }
}
