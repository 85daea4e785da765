package dev.engram.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.kernels.MatMul;
import dev.engram.inference.kernels.NativeKernels;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forward pass on the real stories260K model against llama2.c's greedy token ids: prompt chunks,
 * decode steps, F32 weights exactly as the reference computed them.
 */
class LlamaModelReferenceTest {
    /** Floors for the float inputs of the Vector API kernels; 8-bit inputs (the native kernels) round more. */
    static final double Q8_FLOOR = 0.45;

    static final double Q8_INT8_FLOOR = 0.35;
    static final double Q4_FLOOR = 0.06;

    @Test
    void greedyTokensEqualLlama2cOnEveryReferenceCase() throws Exception {
        Path dir = TestModels.stories260K();
        LlamaLoader.Loaded loaded = LlamaLoader.fromHuggingFace(dir, Optional.of(RowFormat.F32));
        try (Team team = new Team(2);
                LlamaModel model = new LlamaModel(
                        loaded.config(), loaded.rotary(), loaded.weights(), new MatMul(team, Optional.empty()))) {
            KvPool pool = new KvPool(loaded.config(), 64L << 20);
            for (ReferenceCases.Case c : ReferenceCases.load(dir)) {
                assertThat(greedy(model, pool, c.prompt_token_ids(), c.token_ids().length, 1))
                        .as("prompt '%s'", c.prompt())
                        .containsExactly(c.token_ids());
            }
        }
    }

    /**
     * Quantized at load, the model's greedy continuations stay close to F32's: the share of positions
     * (over every reference case) where the quantized model picks the same token as F32 before their
     * first difference, reported and held above a floor, with float inputs (Vector API kernels) and with
     * 8-bit inputs (the native kernels).
     */
    @ParameterizedTest(name = "native kernels: {0}")
    @ValueSource(booleans = {false, true})
    void quantizedGreedyTokensStayCloseToF32(boolean nativeKernels) throws Exception {
        Path dir = TestModels.stories260K();
        List<ReferenceCases.Case> cases = ReferenceCases.load(dir);
        Optional<NativeKernels> kernels = nativeKernels ? NativeKernels.best() : Optional.empty();
        assertThat(kernels.isPresent()).as("native kernels loaded").isEqualTo(nativeKernels);
        for (RowFormat format : List.of(RowFormat.Q8_0, RowFormat.Q4_0)) {
            LlamaLoader.Loaded loaded = LlamaLoader.fromHuggingFace(dir, Optional.of(format));
            int same = 0;
            int total = 0;
            try (Team team = new Team(2);
                    LlamaModel model = new LlamaModel(
                            loaded.config(), loaded.rotary(), loaded.weights(), new MatMul(team, kernels))) {
                KvPool pool = new KvPool(loaded.config(), 64L << 20);
                for (ReferenceCases.Case c : cases) {
                    int[] quantized = greedy(model, pool, c.prompt_token_ids(), c.token_ids().length, 1);
                    int prefix = 0;
                    while (prefix < Math.min(quantized.length, c.token_ids().length)
                            && quantized[prefix] == c.token_ids()[prefix]) {
                        prefix++;
                    }
                    same += prefix;
                    total += c.token_ids().length;
                }
            }
            double agreement = (double) same / total;
            System.out.printf(
                    "stories260K %s, %s inputs: greedy tokens equal to F32 before the first difference: %d of %d (%.1f %%)%n",
                    format, nativeKernels ? "8-bit" : "float", same, total, 100 * agreement);
            double floor = format == RowFormat.Q4_0 ? Q4_FLOOR : nativeKernels ? Q8_INT8_FLOOR : Q8_FLOOR;
            assertThat(agreement).as("%s agreement with F32", format).isGreaterThanOrEqualTo(floor);
        }
    }

    /**
     * The native kernels' variants (AVX2 rows, VNNI panels, AMX tiles for a dozen tokens or more) give
     * the same logits to the bit for a prompt of Q4_0 stories260K read in one chunk: which variant a
     * machine runs changes no answer.
     */
    @Test
    void everyNativeVariantGivesTheSameLogits() throws Exception {
        Path dir = TestModels.stories260K();
        int[] tokens = firstCaseTokens(dir);
        assertThat(tokens.length).as("enough tokens for AMX tiles").isGreaterThanOrEqualTo(32);
        float[] expected = null;
        List<NativeKernels.Variant> ran = new ArrayList<>();
        for (NativeKernels.Variant variant : NativeKernels.Variant.values()) {
            Optional<NativeKernels> kernels = NativeKernels.of(variant);
            if (kernels.isEmpty()) {
                continue;
            }
            LlamaLoader.Loaded loaded = LlamaLoader.fromHuggingFace(dir, Optional.of(RowFormat.Q4_0));
            try (Team team = new Team(2);
                    LlamaModel model = new LlamaModel(
                            loaded.config(), loaded.rotary(), loaded.weights(), new MatMul(team, kernels))) {
                KvPool pool = new KvPool(loaded.config(), 64L << 20);
                float[] prompt;
                try (KvCache cache = new KvCache(pool, loaded.config())) {
                    assertThat(cache.ensure(tokens.length)).isTrue();
                    prompt = model.forward(List.of(new Chunk(tokens, 0, cache, true, tokens.length)));
                }
                if (expected == null) {
                    expected = prompt;
                }
                assertThat(prompt)
                        .as("%s, a prompt of %d tokens", variant, tokens.length)
                        .containsExactly(expected);
            }
            ran.add(variant);
        }
        assertThat(ran).as("variants this machine runs").isNotEmpty();
        System.out.printf("stories260K Q4_0: the same prompt logits from %s%n", ran);
    }

    /**
     * Past its keys and values, the last layer computes only the rows whose logits are wanted, and a
     * step's decoded tokens may share the pass of its prompt tokens. A step with a decoded token, a
     * chunk that wants no logits, one that wants its last token's and one that wants every token's
     * gives each wanted row the logits it has when every row is computed, and the chunk that wanted
     * none continues in the next step as if all its rows had been.
     */
    @ParameterizedTest(name = "native kernels: {0}")
    @ValueSource(booleans = {false, true})
    void aStepGivesEveryWantedRowItsOwnLogits(boolean nativeKernels) throws Exception {
        Path dir = TestModels.stories260K();
        int[] tokens = firstCaseTokens(dir);
        int half = tokens.length / 2;
        RowFormat format = nativeKernels ? RowFormat.Q4_0 : RowFormat.F32;
        LlamaLoader.Loaded loaded = LlamaLoader.fromHuggingFace(dir, Optional.of(format));
        Optional<NativeKernels> kernels = nativeKernels ? NativeKernels.best() : Optional.empty();
        KvPool pool = new KvPool(loaded.config(), 64L << 20);
        try (Team team = new Team(2);
                LlamaModel model =
                        new LlamaModel(loaded.config(), loaded.rotary(), loaded.weights(), new MatMul(team, kernels));
                KvCache alone = new KvCache(pool, loaded.config());
                KvCache split = new KvCache(pool, loaded.config());
                KvCache last = new KvCache(pool, loaded.config());
                KvCache every = new KvCache(pool, loaded.config());
                KvCache decoded = new KvCache(pool, loaded.config())) {
            for (KvCache cache : List.of(alone, split, last, every, decoded)) {
                assertThat(cache.ensure(tokens.length)).isTrue();
            }
            int vocab = loaded.config().vocabSize();
            float[] expected = model.forward(List.of(new Chunk(tokens, 0, alone, true, tokens.length)));
            float[] lastRow = Arrays.copyOfRange(expected, (tokens.length - 1) * vocab, tokens.length * vocab);
            model.forward(List.of(new Chunk(Arrays.copyOf(tokens, tokens.length - 1), 0, decoded, true, 1)));
            float[] step = model.forward(List.of(
                    Chunk.decode(tokens[tokens.length - 1], tokens.length - 1, decoded),
                    new Chunk(Arrays.copyOf(tokens, half), 0, split, true, 0),
                    new Chunk(tokens, 0, last, true, 1),
                    new Chunk(tokens, 0, every, true, tokens.length)));
            assertThat(step).hasSize((2 + tokens.length) * vocab);
            assertThat(Arrays.copyOf(step, vocab))
                    .as("the decoded token's logits")
                    .containsExactly(lastRow);
            assertThat(Arrays.copyOfRange(step, vocab, 2 * vocab))
                    .as("the last token's logits")
                    .containsExactly(lastRow);
            assertThat(Arrays.copyOfRange(step, 2 * vocab, step.length))
                    .as("every token's logits")
                    .containsExactly(expected);
            float[] rest = model.forward(
                    List.of(new Chunk(Arrays.copyOfRange(tokens, half, tokens.length), half, split, true, 1)));
            assertThat(rest).as("after a chunk that wanted no logits").containsExactly(lastRow);
        }
    }

    /** The first reference case's prompt followed by its greedy continuation. */
    private static int[] firstCaseTokens(Path dir) {
        ReferenceCases.Case first = ReferenceCases.load(dir).getFirst();
        int[] tokens =
                Arrays.copyOf(first.prompt_token_ids(), first.prompt_token_ids().length + first.token_ids().length);
        System.arraycopy(first.token_ids(), 0, tokens, first.prompt_token_ids().length, first.token_ids().length);
        return tokens;
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
                logits = model.forward(
                        List.of(new Chunk(Arrays.copyOfRange(prompt, start, end), start, cache, true, 1)));
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
