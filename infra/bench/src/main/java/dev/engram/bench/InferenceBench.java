package dev.engram.bench;

import dev.engram.inference.GenerationRequest;
import dev.engram.inference.GenerationResult;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.Prompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Rows 2 and 3: decode and prefill of one weight format, the engine under test ({@link EngineUnderTest})
 * against llama.cpp on the same weights, the same token ids and the same thread count. The two are
 * measured in two rounds, engine then llama.cpp, then llama.cpp then engine (ABBA, so a drift in the
 * machine's speed favours neither), each loading the model afresh and unloading it before the other
 * starts: they never share the memory or the cores.
 */
final class InferenceBench {
    /** Enough for the JIT to compile the loop and the pages to be mapped in; a full warm-up would cost minutes on F32. */
    static final int WARM_UP_TOKENS = 16;
    /** llama.cpp's default micro-batch: a 512-token prompt is one pass. */
    private static final int LLAMA_BATCH = 512;

    private static final Duration LLAMA_TIMEOUT = Duration.ofMinutes(20);

    private final BenchOptions options;
    private final List<Row> rows;
    private final BandwidthBench.Ceiling ceiling;
    private final Optional<LlamaCpp> llama;
    private final int threads = Runtime.getRuntime().availableProcessors();
    private Prompts prompts;

    InferenceBench(BenchOptions options, List<Row> rows, BandwidthBench.Ceiling ceiling, Optional<LlamaCpp> llama) {
        this.options = options;
        this.rows = rows;
        this.ceiling = ceiling;
        this.llama = llama;
    }

    /** What the engine measured on one format, for the Jlama and HTTP rows. */
    record EngineFigures(Stats decode, Stats endToEnd, String text, Map<Integer, Stats> prefill, Prompts prompts) {}

    /**
     * Measures both sides on {@code weights} and adds their rows; prefill only when {@code withPrefill}.
     * Returns the engine's figures, or empty when the engine cannot run these weights.
     */
    Optional<EngineFigures> run(BenchWeights weights, boolean withPrefill) throws IOException, InterruptedException {
        Optional<Path> engineModel = EngineUnderTest.model(weights);
        Samples engine = new Samples();
        Samples baseline = new Samples();
        int rounds = engineModel.isPresent() && llama.isPresent() && options.repeats() > 1 ? 2 : 1;
        for (int round = 0; round < rounds; round++) {
            // Round 0 gets the odd repeat; the engine goes first in it, as the prompts are its tokens.
            int repeats = round == 0 ? options.repeats() - options.repeats() / 2 * (rounds - 1) : options.repeats() / 2;
            if (round == 0 && engineModel.isPresent()) {
                engineRound(weights, engineModel.get(), repeats, withPrefill, engine);
            }
            if (llama.isPresent()) {
                llamaRound(weights, repeats, withPrefill, baseline);
            }
            if (round == 1) {
                engineRound(weights, engineModel.orElseThrow(), repeats, withPrefill, engine);
            }
        }
        decodeRows(weights, engineModel, engine, baseline);
        if (withPrefill) {
            prefillRows(weights, engine, baseline);
        }
        if (!engine.measured()) {
            return Optional.empty();
        }
        Map<Integer, Stats> prefill = new java.util.TreeMap<>();
        engine.prefill.forEach((size, speeds) -> prefill.put(size, Stats.of(speeds)));
        return Optional.of(
                new EngineFigures(Stats.of(engine.decode), Stats.of(engine.endToEnd), engine.text, prefill, prompts));
    }

    private void engineRound(BenchWeights weights, Path model, int repeats, boolean withPrefill, Samples samples) {
        Bench.progress("decode " + weights.label() + ": engine (" + model.getFileName() + ")");
        try (LanguageModel engine = EngineUnderTest.load(model)) {
            if (prompts == null) {
                prompts = Prompts.of(engine, prefillSizes(engine.contextLength()));
            }
            engine.generate(GenerationRequest.greedy(Prompt.raw(prompts.decode().text()), WARM_UP_TOKENS), t -> {});
            for (int i = 0; i < repeats; i++) {
                GenerationResult r = generate(engine, prompts.decode(), weights.decodeTokens());
                samples.decode.add(r.tokensPerSecond());
                samples.endToEnd.add(r.completionTokens() * 1e9 / r.totalNanos());
                samples.text = r.text();
                samples.tokens = r.completionTokens();
            }
            if (withPrefill) {
                for (Prompts.Prompt prompt : prompts.prefill()) {
                    for (int i = 0; i < repeats; i++) {
                        GenerationResult r = generate(engine, prompt, 1);
                        samples.addTimeToFirstToken(prompt.tokens(), r.timeToFirstTokenNanos() / 1e6);
                        samples.addPrefill(prompt.tokens(), r.promptTokens() * 1e9 / r.timeToFirstTokenNanos());
                    }
                }
            }
            samples.how = EngineUnderTest.describe() + ", " + model.getFileName();
        }
    }

    /** A generation whose prompt must be exactly the ids llama.cpp is given, or the comparison is void. */
    private static GenerationResult generate(LanguageModel engine, Prompts.Prompt prompt, int tokens) {
        GenerationResult r = engine.generate(GenerationRequest.greedy(Prompt.raw(prompt.text()), tokens), t -> {});
        if (r.promptTokens() != prompt.tokens()) {
            throw new IllegalStateException("The engine fed " + r.promptTokens()
                    + " prompt tokens where llama.cpp gets " + prompt.tokens() + ": the prompts are not the same");
        }
        return r;
    }

    private void llamaRound(BenchWeights weights, int repeats, boolean withPrefill, Samples samples)
            throws IOException, InterruptedException {
        if (prompts == null) {
            throw new IllegalStateException("The engine under test runs none of the formats before " + weights.label()
                    + ", so there are no prompt ids for llama.cpp");
        }
        Bench.progress(
                "decode " + weights.label() + ": llama.cpp (" + weights.gguf().getFileName() + ")");
        List<int[]> prefill = withPrefill
                ? prompts.prefill().stream().map(Prompts.Prompt::ids).toList()
                : null;
        int longest = Math.max(
                prompts.prefill().stream()
                        .mapToInt(Prompts.Prompt::tokens)
                        .max()
                        .orElse(0),
                prompts.decode().tokens() + Math.max(WARM_UP_TOKENS, weights.decodeTokens()));
        LlamaCpp.Result result = llama.orElseThrow()
                .run(
                        new LlamaCpp.Request(
                                weights.gguf().toString(),
                                threads,
                                LLAMA_BATCH,
                                (longest / 256 + 1) * 256,
                                repeats,
                                prefill,
                                new LlamaCpp.Decode(prompts.decode().ids(), weights.decodeTokens()),
                                WARM_UP_TOKENS,
                                null,
                                null),
                        LLAMA_TIMEOUT);
        samples.decode.addAll(result.decode().tokensPerSecond());
        samples.text = result.decode().text();
        samples.tokens = result.decode().tokens().length;
        if (result.prefill() != null) {
            result.prefill().forEach(p -> p.tokensPerSecond().forEach(s -> samples.addPrefill(p.tokens(), s)));
        }
        samples.how =
                llama.orElseThrow().describe(result) + ", " + weights.gguf().getFileName();
    }

    private void decodeRows(BenchWeights weights, Optional<Path> engineModel, Samples engine, Samples baseline)
            throws IOException {
        String label = weights.label();
        Stats llamaDecode = baseline.measured() ? Stats.of(baseline.decode) : null;
        if (engine.measured()) {
            Stats decode = Stats.of(engine.decode);
            Row row = Row.of(
                    "decode",
                    label + ": engine, decode",
                    "tok/s",
                    decode,
                    engine.how + ", " + engine.tokens + " greedy tokens");
            rows.add(
                    llamaDecode == null
                            ? row
                            : row.compared(
                                    decode.median() / llamaDecode.median(),
                                    "engine / llama.cpp " + weights.ggufType(),
                                    weights.goal()));
            rows.add(Row.of(
                    "decode",
                    label + ": engine, end to end",
                    "tok/s",
                    Stats.of(engine.endToEnd),
                    engine.how + "; prefill included"));
            rows.add(ceilingRow(
                    label + ": engine vs bandwidth ceiling",
                    engine.decode,
                    BenchWeights.bytesPerToken(engineModel.orElseThrow())));
        }
        if (llamaDecode != null) {
            String agreement = engine.measured() ? "; " + agreement(engine.text, baseline.text) : "";
            rows.add(Row.of(
                    "decode",
                    label + ": llama.cpp " + weights.ggufType() + ", decode (baseline)",
                    "tok/s",
                    llamaDecode,
                    baseline.how + ", " + baseline.tokens + " greedy tokens" + agreement));
            rows.add(ceilingRow(
                    label + ": llama.cpp " + weights.ggufType() + " vs bandwidth ceiling",
                    baseline.decode,
                    Files.size(weights.gguf())));
        }
    }

    private Row ceilingRow(String name, List<Double> tokensPerSecond, long bytesPerToken) {
        return Row.of(
                "decode",
                name,
                "%",
                Stats.of(tokensPerSecond.stream()
                        .map(v -> ceiling.percent(v, bytesPerToken))
                        .toList()),
                String.format(
                        Locale.ROOT,
                        "ceiling %.1f tok/s = %.2f GB/s (%s) / %.3f GB of weights per token",
                        ceiling.bytesPerSecond() / bytesPerToken,
                        ceiling.bytesPerSecond() / 1e9,
                        ceiling.probe(),
                        bytesPerToken / 1e9));
    }

    private void prefillRows(BenchWeights weights, Samples engine, Samples baseline) {
        String label = weights.label();
        for (Prompts.Prompt prompt : prompts.prefill()) {
            int size = prompt.tokens();
            Stats llamaPrefill = baseline.prefill.containsKey(size) ? Stats.of(baseline.prefill.get(size)) : null;
            if (engine.prefill.containsKey(size)) {
                rows.add(Row.of(
                        "prefill",
                        label + ": engine, time to first token at " + size,
                        "ms",
                        Stats.of(engine.timeToFirstToken.get(size)),
                        engine.how));
                Stats speed = Stats.of(engine.prefill.get(size));
                Row row = Row.of(
                        "prefill",
                        label + ": engine prefill at " + size,
                        "tok/s",
                        speed,
                        "prompt tokens / time to first token");
                rows.add(
                        llamaPrefill == null
                                ? row
                                : row.compared(
                                        speed.median() / llamaPrefill.median(),
                                        "engine / llama.cpp " + weights.ggufType(),
                                        0.6));
            }
            if (llamaPrefill != null) {
                rows.add(Row.of(
                        "prefill",
                        label + ": llama.cpp " + weights.ggufType() + " prefill at " + size + " (baseline)",
                        "tok/s",
                        llamaPrefill,
                        baseline.how + ", evaluateWithoutGeneratingNewTokens"));
            }
        }
    }

    /** Whether the two greedy texts agree (meaningful where both run the very same weights, e.g. F32). */
    private static String agreement(String engine, String llama) {
        String a = engine.strip();
        String b = llama.strip();
        int common = 0;
        while (common < Math.min(a.length(), b.length()) && a.charAt(common) == b.charAt(common)) {
            common++;
        }
        return common == a.length() && common == b.length()
                ? "greedy text equals the engine's"
                : "greedy text differs from the engine's after " + common + " of " + a.length() + " characters";
    }

    /**
     * llama.cpp's cost per decode step on a model so small (stories260K) that the step is almost all
     * overhead: the binding, sampling, and handing the step to its threads and back (on a machine
     * whose cores are shared, a hand-off can wait for a core), so a reader can tell how much of the
     * baseline's time is not the model's.
     */
    void fixedCost(String label, Path referenceGguf) throws IOException, InterruptedException {
        Bench.progress("llama.cpp: fixed cost per decode step");
        int tokens = 64;
        LlamaCpp.Result result = llama.orElseThrow()
                .run(
                        new LlamaCpp.Request(
                                referenceGguf.toString(),
                                threads,
                                LLAMA_BATCH,
                                256,
                                options.repeats(),
                                null,
                                new LlamaCpp.Decode(
                                        new int[] {1} /* stories260K's <s>: its stories start there */, tokens),
                                WARM_UP_TOKENS,
                                null,
                                null),
                        LLAMA_TIMEOUT);
        rows.add(
                Row.of(
                        "decode",
                        label + ": llama.cpp time per decode step (fixed cost)",
                        "ms",
                        Stats.of(result.decode().tokensPerSecond().stream()
                                .map(s -> 1000 / s)
                                .toList()),
                        llama.orElseThrow().describe(result) + ", " + tokens
                                + " greedy tokens of a 260K-parameter model, whose "
                                + "arithmetic is negligible: the per-step cost of the binding, sampling and llama.cpp's thread hand-offs"));
    }

    private int[] prefillSizes(int context) {
        int[] sizes = options.tiny() ? new int[] {32, 128} : options.quick() ? new int[] {128} : new int[] {128, 512};
        return IntStream.of(sizes).filter(n -> n < context - 8).toArray();
    }
}
