package dev.engram.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.kernels.MatMul;
import dev.engram.inference.kernels.Team;
import dev.engram.inference.kernels.VectorOps;
import dev.engram.inference.quant.RowFormat;
import dev.engram.testing.ReferenceCases;
import dev.engram.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The forward pass on the real stories260K model against llama2.c's greedy token ids: prompt chunks,
 * decode steps, F32 weights exactly as the reference computed them.
 */
class LlamaModelReferenceTest {

    @Test
    void greedyTokensEqualLlama2cOnEveryReferenceCase() throws Exception {
        Path dir = TestModels.stories260K();
        LlamaLoader.Loaded loaded = LlamaLoader.fromHuggingFace(dir, Optional.of(RowFormat.F32));
        try (Team team = new Team(2); LlamaModel model = new LlamaModel(loaded.config(), loaded.rotary(), loaded.weights(), new MatMul(team))) {
            KvPool pool = new KvPool(loaded.config(), 64L << 20);
            for (ReferenceCases.Case c : ReferenceCases.load(dir)) {
                assertThat(greedy(model, pool, c.prompt_token_ids(), c.token_ids().length, 1))
                        .as("prompt '%s'", c.prompt()).containsExactly(c.token_ids());
            }
        }
    }

    /** Greedy ids after {@code prompt}; the prompt is computed in chunks of {@code chunk} tokens. */
    static int[] greedy(LlamaModel model, KvPool pool, int[] prompt, int count, int chunk) {
        int vocab = model.config().vocabSize();
        List<Integer> out = new ArrayList<>();
        try (KvCache cache = new KvCache(pool, model.config())) {
            assertThat(cache.ensure(prompt.length + count)).isTrue();
            float[] logits = null;
            for (int start = 0; start < prompt.length; start += chunk) {
                int end = Math.min(prompt.length, start + chunk);
                logits = model.forward(List.of(new Chunk(Arrays.copyOfRange(prompt, start, end), start, cache, true, 1)));
            }
            int position = prompt.length;
            while (out.size() < count) {
                int next = VectorOps.argmax(logits, 0, vocab);
                if (next == 1 || next == 2) {
                    break;
                }
                out.add(next);
                logits = model.forward(List.of(Chunk.decode(next, position++, cache)));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
