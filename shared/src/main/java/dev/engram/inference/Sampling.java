package dev.engram.inference;

/**
 * How the next token is picked. {@code temperature == 0} is greedy (argmax); otherwise logits are
 * divided by the temperature, cut to the {@code topK} most likely tokens and then to the smallest set
 * whose probability reaches {@code topP}, and one is drawn with a generator seeded by {@code seed}.
 *
 * @param temperature 0 for greedy, else &gt; 0
 * @param topP in (0, 1]; 1 disables nucleus sampling
 * @param topK 0 disables the cut, else the number of candidates kept
 * @param seed the sampler's seed: the same seed, prompt and options give the same text
 */
public record Sampling(float temperature, float topP, int topK, long seed) {

    public static final Sampling GREEDY = new Sampling(0f, 1f, 0, 0L);

    public boolean greedy() {
        return temperature == 0f || topK == 1;
    }
}
