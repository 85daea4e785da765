package dev.engram.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.inference.convert.GgufExport;
import dev.engram.inference.gguf.GgmlType;
import dev.engram.testing.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GGUF files the harness compares against llama.cpp are files llama.cpp reads as meant: stories260K
 * exported to GGUF and run by llama.cpp (node-llama-cpp) splits the reference prompts into llama2.c's
 * token ids and continues them greedily with llama2.c's tokens, token for token (reference.json). A
 * wrong tensor layout, Q/K permutation, norm, RoPE or tokenizer field would change the tokens. The
 * concurrency rows' parallel sequences are checked on the same prompts.
 */
class LlamaCppReferenceTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int BOS = 1;

    @TempDir
    Path temp;

    @Test
    void f32ExportTokenizesAndContinuesEveryReferencePromptLikeLlama2c() throws Exception {
        LlamaCpp llama = LlamaCppInstall.llamaCpp();
        List<Case> cases = cases();
        Path gguf = export(GgmlType.F32);

        LlamaCpp.Result tokenized = llama.run(
                new LlamaCpp.Request(
                        gguf.toString(),
                        2,
                        null,
                        512,
                        1,
                        null,
                        null,
                        null,
                        cases.stream().map(Case::prompt).toList(),
                        null),
                TIMEOUT);
        for (int i = 0; i < cases.size(); i++) {
            int[] expected =
                    Arrays.copyOfRange(cases.get(i).promptIds(), 1, cases.get(i).promptIds().length);
            assertThat(tokenized.tokenize().get(i))
                    .as("ids of '%s'", cases.get(i).prompt())
                    .containsExactly(expected);
        }
        for (Case c : cases) {
            // Where llama2.c stopped because it sampled BOS, llama.cpp must sample that BOS too.
            int count = c.tokens().length + (c.stoppedOnBos() ? 1 : 0);
            int[] generated = greedy(llama, gguf, c.promptIds(), count);
            assertThat(Arrays.copyOf(generated, c.tokens().length))
                    .as("'%s', %d tokens", c.prompt(), count)
                    .containsExactly(c.tokens());
            if (c.stoppedOnBos()) {
                assertThat(generated[c.tokens().length])
                        .as("'%s' ends with BOS", c.prompt())
                        .isEqualTo(BOS);
            }
        }
    }

    @Test
    void quantizedExportsLoadAndBeginLikeTheReference() throws Exception {
        LlamaCpp llama = LlamaCppInstall.llamaCpp();
        Case first = cases().getFirst();
        // Block-quantized weights shift the logits a little, so only the opening must agree: a wrong block
        // layout (scale, nibble order) gives other tokens from the first one.
        for (GgmlType type : List.of(GgmlType.Q8_0, GgmlType.Q4_0)) {
            int[] generated = greedy(llama, export(type), first.promptIds(), 8);
            assertThat(generated).as(type.name()).containsExactly(Arrays.copyOf(first.tokens(), 8));
        }
    }

    @Test
    void parallelSequencesGetTheirOwnPromptsAndReportEveryRun() throws Exception {
        LlamaCpp llama = LlamaCppInstall.llamaCpp();
        List<Case> cases = cases().subList(0, 3);
        int tokens = cases.stream().mapToInt(c -> c.tokens().length).min().orElseThrow();
        LlamaCpp.Result result = llama.run(
                new LlamaCpp.Request(
                        export(GgmlType.F32).toString(),
                        2,
                        null,
                        512,
                        2,
                        null,
                        null,
                        null,
                        null,
                        new LlamaCpp.Parallel(
                                cases.stream().map(Case::promptIds).toList(), tokens, new int[] {1, 3})),
                TIMEOUT);

        // Alone, sequence i continues prompt i as llama2.c does, and so does the run of one sequence.
        for (int i = 0; i < cases.size(); i++) {
            assertThat(result.parallel().alone().get(i))
                    .as("'%s' alone", cases.get(i).prompt())
                    .containsExactly(Arrays.copyOf(cases.get(i).tokens(), tokens));
        }
        assertThat(result.parallel().runs())
                .extracting(LlamaCpp.ParallelRun::sequences)
                .containsExactly(1, 3, 1, 3);
        for (LlamaCpp.ParallelRun run : result.parallel().runs()) {
            assertThat(run.tokens())
                    .hasSize(run.sequences())
                    .allSatisfy(t -> assertThat(t).hasSize(tokens));
            assertThat(run.timeToFirstTokenMs())
                    .hasSize(run.sequences())
                    .allSatisfy(ms -> assertThat(ms)
                            .isPositive()
                            .isLessThan(run.sequences() * tokens * 1000.0 / run.tokensPerSecond()));
        }
        assertThat(result.parallel()
                        .runs()
                        .getFirst()
                        .differing(result.parallel().alone()))
                .isZero();
    }

    private Path export(GgmlType type) throws Exception {
        return GgufExport.export(TestModels.stories260K(), type, temp.resolve("stories260K-" + type + ".gguf"))
                .file();
    }

    private static int[] greedy(LlamaCpp llama, Path gguf, int[] prompt, int count) throws Exception {
        return llama.run(
                        new LlamaCpp.Request(
                                gguf.toString(),
                                2,
                                null,
                                512,
                                1,
                                null,
                                new LlamaCpp.Decode(prompt, count),
                                null,
                                null,
                                null),
                        TIMEOUT)
                .decode()
                .tokens();
    }

    /** One llama2.c greedy run: its prompt, the ids it fed (BOS first) and the ids it generated. */
    private record Case(String prompt, int[] promptIds, int[] tokens, boolean stoppedOnBos) {}

    private static List<Case> cases() throws Exception {
        JsonNode reference = new ObjectMapper()
                .readTree(TestModels.stories260K().resolve("reference.json").toFile());
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : reference) {
            cases.add(new Case(
                    c.path("prompt").asText(),
                    ids(c.path("prompt_token_ids")),
                    ids(c.path("token_ids")),
                    c.path("stopped_on_bos").asBoolean()));
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(6);
        return cases;
    }

    private static int[] ids(JsonNode array) {
        return IntStream.range(0, array.size()).map(i -> array.get(i).asInt()).toArray();
    }
}
