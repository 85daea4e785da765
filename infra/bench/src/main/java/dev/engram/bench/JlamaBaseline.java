package dev.engram.bench;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.functions.Generator;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * (c) Jlama's own {@code generate} loop on Jlama's files of the same weights: the baseline of the b/c
 * rows. Its memory-mapped KV cache files go to a working directory deleted afterwards.
 */
final class JlamaBaseline {
    private final BenchOptions options;
    private final List<Row> rows;

    JlamaBaseline(BenchOptions options, List<Row> rows) {
        this.options = options;
        this.rows = rows;
    }

    void run(BenchWeights weights, Path jlamaDir, InferenceBench.EngineFigures engine) throws IOException {
        Bench.progress("decode " + weights.label() + ": Jlama generate");
        String label = weights.label();
        String prompt = Prompts.TEXT;
        Path work = Files.createTempDirectory("engram-bench-jlama-");
        AbstractModel jlama = ModelSupport.loadModel(
                jlamaDir.toFile(), work.toFile(), DType.F32, DType.I8, Optional.empty(), Optional.empty());
        try {
            int promptTokens = jlama.getTokenizer().encode(prompt).length + 1;
            // Jlama's ntokens bounds the position, not the count: prompt + BOS + the tokens to generate.
            int ntokens = promptTokens + weights.decodeTokens();
            jlama.generate(
                    UUID.randomUUID(),
                    PromptContext.of(prompt),
                    0f,
                    promptTokens + InferenceBench.WARM_UP_TOKENS,
                    (s, f) -> {});
            List<Double> decode = new ArrayList<>();
            int generated = 0;
            for (int i = 0; i < options.repeats(); i++) {
                Generator.Response r =
                        jlama.generate(UUID.randomUUID(), PromptContext.of(prompt), 0f, ntokens, (s, f) -> {});
                decode.add(r.generatedTokens * 1000.0 / Math.max(1, r.generateTimeMs));
                generated = r.generatedTokens;
            }
            Stats baseline = Stats.of(decode);
            rows.add(Row.of(
                    "decode",
                    label + ": Jlama generate (baseline)",
                    "tok/s",
                    baseline,
                    generated + " greedy tokens, Jlama 0.8.4 generate(), file-backed KV cache"));
            rows.add(Row.of(
                    "decode",
                    label + ": engine / Jlama generate",
                    "x",
                    Stats.of(engine.decode().median() / baseline.median()),
                    "b/c; goal >= 1.0"));
            for (Map.Entry<Integer, Stats> e : engine.prefill().entrySet()) {
                int size = e.getKey();
                String text = Prompts.ofTokens(size, t -> jlama.getTokenizer().encode(t).length + 1);
                List<Double> speed = new ArrayList<>();
                for (int i = 0; i < options.repeats(); i++) {
                    Generator.Response r =
                            jlama.generate(UUID.randomUUID(), PromptContext.of(text), 0f, size + 3, (s, f) -> {});
                    speed.add(r.promptTokens * 1000.0 / Math.max(1, r.promptTimeMs));
                }
                Stats jlamaPrefill = Stats.of(speed);
                rows.add(Row.of(
                        "prefill",
                        label + ": Jlama prefill at " + size + " (baseline)",
                        "tok/s",
                        jlamaPrefill,
                        "batchForward in generate()"));
                rows.add(Row.of(
                        "prefill",
                        label + ": engine / Jlama prefill at " + size,
                        "x",
                        Stats.of(e.getValue().median() / jlamaPrefill.median()),
                        "engine prefill / Jlama prefill"));
            }
        } finally {
            jlama.close();
            BenchFiles.deleteTree(work);
        }
    }
}
