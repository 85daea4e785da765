package dev.engram.bench;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.model.functions.Generator;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.jlama.JlamaEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Rows 2 and 3: decode and prefill speed of one model, (b) through the project's engine, (c) through
 * Jlama's own {@code generate} loop as the baseline, and (a) through {@code POST /generate} of a running
 * function. The engine and Jlama are loaded one after the other, never together, so neither pays for
 * the other's memory.
 */
final class DecodeBench {
    /** Enough for the JIT to compile the loop; a full-length warm-up would cost minutes on the F32 model. */
    private static final int WARM_UP_TOKENS = 16;
    static final String PROMPT = "The history of the city begins with a small harbour where traders met each spring";

    private final BenchOptions options;
    private final List<Row> rows;

    DecodeBench(BenchOptions options, List<Row> rows) {
        this.options = options;
        this.rows = rows;
    }

    /** What the engine measured, for the ratios against Jlama and HTTP. */
    record EngineFigures(Stats decode, Stats endToEnd, String text, Map<Integer, Stats> prefill) {}

    EngineFigures engine(BenchModel model, boolean withPrefill, double bandwidth) {
        try (JlamaEngine engine = JlamaEngine.load(model.dir(), new JlamaEngine.Options(4, Duration.ofMinutes(30), Optional.empty(), Optional.empty()))) {
            String backend = JlamaEngine.backend();
            engine.generate(GenerationRequest.greedy(PROMPT, WARM_UP_TOKENS), t -> {});
            List<Double> decode = new ArrayList<>();
            List<Double> endToEnd = new ArrayList<>();
            String text = null;
            int tokens = 0;
            for (int i = 0; i < options.repeats(); i++) {
                GenerationResult r = engine.generate(GenerationRequest.greedy(PROMPT, options.decodeTokens()), t -> {});
                decode.add(r.tokensPerSecond());
                endToEnd.add(r.completionTokens() * 1e9 / r.totalNanos());
                text = r.text();
                tokens = r.completionTokens();
            }
            Stats decodeStats = Stats.of(decode);
            String note = model.label() + ", " + tokens + " greedy tokens, " + backend;
            rows.add(Row.of("decode", model.label() + ": engine, decode", "tok/s", decodeStats, note));
            rows.add(Row.of("decode", model.label() + ": engine, end to end", "tok/s", Stats.of(endToEnd), note + "; prefill included"));
            double ceiling = bandwidth / model.weightBytes();
            rows.add(Row.of("decode", model.label() + ": engine vs bandwidth ceiling", "%",
                    Stats.of(decode.stream().map(v -> 100 * v / ceiling).toList()),
                    String.format("ceiling %.1f tok/s = %.2f GB/s / %.2f GB of weights per token", ceiling, bandwidth / 1e9,
                            model.weightBytes() / 1e9)));
            java.util.Map<Integer, Stats> prefill = new java.util.TreeMap<>();
            if (withPrefill) {
                for (int size : prefillSizes(engine.contextLength())) {
                    String prompt = promptOfTokens(engine, size);
                    List<Double> ttft = new ArrayList<>();
                    List<Double> speed = new ArrayList<>();
                    for (int i = 0; i < options.repeats(); i++) {
                        GenerationResult r = engine.generate(GenerationRequest.greedy(prompt, 1), t -> {});
                        ttft.add(r.timeToFirstTokenNanos() / 1e6);
                        speed.add(r.promptTokens() * 1e9 / r.timeToFirstTokenNanos());
                    }
                    rows.add(Row.of("prefill", model.label() + ": engine, time to first token at " + size, "ms", Stats.of(ttft), backend));
                    prefill.put(size, Stats.of(speed));
                }
            }
            return new EngineFigures(decodeStats, Stats.of(endToEnd), text, prefill);
        }
    }

    /** (c) Jlama's own loop: memory-mapped KV cache files in a working directory deleted afterwards. */
    void jlama(BenchModel model, EngineFigures engine) throws IOException {
        Path work = Files.createTempDirectory("engram-bench-jlama-");
        AbstractModel jlama = ModelSupport.loadModel(model.dir().toFile(), work.toFile(), DType.F32, DType.I8, Optional.empty(), Optional.empty());
        try {
            int promptTokens = jlama.getTokenizer().encode(PROMPT).length + 1;
            // Jlama's ntokens bounds the position, not the count: prompt + BOS + the tokens to generate.
            int ntokens = promptTokens + options.decodeTokens();
            jlama.generate(UUID.randomUUID(), PromptContext.of(PROMPT), 0f, promptTokens + WARM_UP_TOKENS, (s, f) -> {});
            List<Double> decode = new ArrayList<>();
            int generated = 0;
            for (int i = 0; i < options.repeats(); i++) {
                Generator.Response r = jlama.generate(UUID.randomUUID(), PromptContext.of(PROMPT), 0f, ntokens, (s, f) -> {});
                decode.add(r.generatedTokens * 1000.0 / Math.max(1, r.generateTimeMs));
                generated = r.generatedTokens;
            }
            Stats baseline = Stats.of(decode);
            rows.add(Row.of("decode", model.label() + ": Jlama generate (baseline)", "tok/s", baseline,
                    generated + " greedy tokens, Jlama 0.8.4 generate(), file-backed KV cache"));
            rows.add(Row.of("decode", model.label() + ": engine / Jlama generate", "x",
                    Stats.of(engine.decode().median() / baseline.median()), "b/c; goal >= 1.0"));
            for (Map.Entry<Integer, Stats> e : engine.prefill().entrySet()) {
                String prompt = promptOfTokens(jlama, e.getKey());
                List<Double> speed = new ArrayList<>();
                for (int i = 0; i < options.repeats(); i++) {
                    Generator.Response r = jlama.generate(UUID.randomUUID(), PromptContext.of(prompt), 0f, e.getKey() + 3, (s, f) -> {});
                    speed.add(r.promptTokens * 1000.0 / Math.max(1, r.promptTimeMs));
                }
                Stats jlamaPrefill = Stats.of(speed);
                rows.add(Row.of("prefill", model.label() + ": Jlama prefill at " + e.getKey() + " (baseline)", "tok/s", jlamaPrefill, "batchForward in generate()"));
                rows.add(Row.of("prefill", model.label() + ": engine prefill at " + e.getKey(), "tok/s", e.getValue(),
                        "prompt tokens / time to first token").compared(e.getValue().median() / jlamaPrefill.median(), "engine / Jlama"));
            }
        } finally {
            jlama.close();
            deleteTree(work);
        }
    }

    /** (a) The running function: client-side wall time, JSON and HTTP included. */
    void http(BenchModel model, FunctionClient client, EngineFigures engine) throws IOException, InterruptedException {
        Map<String, Object> body = Map.of("prompt", PROMPT, "maxTokens", options.decodeTokens(), "temperature", 0);
        client.call("generate", Map.of("prompt", PROMPT, "maxTokens", WARM_UP_TOKENS, "temperature", 0));
        List<Double> endToEnd = new ArrayList<>();
        int mismatches = 0;
        for (int i = 0; i < options.repeats(); i++) {
            FunctionClient.Answer a = client.post("generate", body);
            if (!a.ok()) {
                throw new IllegalStateException("POST /generate answered " + a.status() + ": " + a.body());
            }
            endToEnd.add(a.body().path("usage").path("completionTokens").asInt() * 1e9 / a.nanos());
            mismatches += a.body().path("text").asText().equals(engine.text()) ? 0 : 1;
        }
        Stats stats = Stats.of(endToEnd);
        rows.add(Row.of("decode", model.label() + ": POST /generate, end to end", "tok/s", stats,
                "client wall time; greedy text differs from the engine's in " + mismatches + " of " + options.repeats())
                .compared(stats.median() / engine.endToEnd().median(), "a/b (HTTP / engine, end to end); goal >= 0.95"));
    }

    private int[] prefillSizes(int context) {
        if (options.tiny()) {
            return new int[] {32, 128};
        }
        // A 512-token prefill of the 1B shape takes ~14 s on 2 cores: quick mode leaves it out.
        int[] sizes = options.quick() ? new int[] {128} : new int[] {128, 512};
        return java.util.stream.IntStream.of(sizes).filter(n -> n < context - 8).toArray();
    }

    /** A prompt of exactly {@code tokens} tokens (BOS included) for the engine's tokenizer. */
    static String promptOfTokens(JlamaEngine engine, int tokens) {
        return fit(tokens, text -> engine.encodePrompt(text).length);
    }

    private static String promptOfTokens(AbstractModel jlama, int tokens) {
        return fit(tokens, text -> jlama.getTokenizer().encode(text).length + 1);
    }

    private static String fit(int tokens, java.util.function.ToIntFunction<String> count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; count.applyAsInt(text.toString()) < tokens; i++) {
            text.append(PROMPT.split(" ")[i % 15]).append(' ');
        }
        while (text.length() > 1 && count.applyAsInt(text.toString()) > tokens) {
            text.setLength(text.length() - 1);
        }
        return text.toString();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
