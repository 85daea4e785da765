package dev.engram.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.testing.synthetic.SyntheticModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Row 5: 1, 2, 4 and 8 clients at once against one running function, whose engine batches them.
 * Each client has its own prompt, and every answer must equal the answer that prompt got alone, so a
 * speed-up bought with wrong text shows up here. Goals: aggregate ≥ 2.5× one client at 4 clients and
 * ≥ 4× at 8; p95 time to first token at most 2× one client's at 4 (as a ratio 1-client / n-client ≥ 0.5).
 *
 * <p>In those rows the clients send together: every prompt arrives with the others, the worst case
 * for time to first token. The client counts take turns round by round, so the ratios compare
 * figures taken over the same minutes. A last row lets four clients send independently,
 * each starting a quarter of a request's time after the one before and then sending again as soon as
 * its answer is back, so most prompts arrive while the others are being decoded.
 *
 * <p>llama.cpp's rows ({@link #llamaCpp}) run the same prompts, as the same ids, on as many sequences
 * of one context started together, which node-llama-cpp evaluates in shared batches as llama.cpp's
 * server runs its parallel slots: the ratios a CPU server reaches on this machine, beside the goals.
 */
final class ConcurrencyBench {
    private static final String[] PROMPTS = {
        "The river was wide and slow that summer",
        "In the workshop the old clockmaker opened a drawer",
        "Rain fell on the market square all morning",
        "She counted the lanterns along the bridge",
        "The train left the valley before dawn",
        "A small boat drifted past the lighthouse",
        "The children built a fort out of blankets",
        "On the hill stood a house with green shutters",
    };

    private static final int[] COUNTS = {1, 2, 4, 8};
    private static final Duration LLAMA_TIMEOUT = Duration.ofMinutes(10);

    private ConcurrencyBench() {}

    /**
     * The function's aggregate tokens/s per client count (as {@link #COUNTS}), for llama.cpp's rows.
     *
     * @param promptTokens each prompt's length in tokens as the function read it
     */
    record Figures(int[] promptTokens, double[] aggregate) {}

    static Figures run(FunctionClient client, String model, int tokens, int rounds, List<Row> rows) throws Exception {
        String[] alone = new String[PROMPTS.length];
        int[] promptTokens = new int[PROMPTS.length];
        for (int i = 0; i < PROMPTS.length; i++) {
            JsonNode answer = client.call("generate", body(i, tokens));
            alone[i] = answer.path("text").asText();
            promptTokens[i] = answer.path("usage").path("promptTokens").asInt();
        }
        double[] aggregates = new double[COUNTS.length];
        List<List<Double>> ttft = new ArrayList<>();
        List<List<Double>> aggregate = new ArrayList<>();
        int[] corrupted = new int[COUNTS.length];
        int[] answers = new int[COUNTS.length];
        for (int k = 0; k < COUNTS.length; k++) {
            ttft.add(new ArrayList<>());
            aggregate.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < COUNTS.length; k++) {
                int clients = COUNTS[k];
                try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
                    long start = System.nanoTime();
                    List<Future<JsonNode>> futures = new ArrayList<>();
                    for (int c = 0; c < clients; c++) {
                        int prompt = c;
                        futures.add(pool.submit(() -> client.call("generate", body(prompt, tokens))));
                    }
                    long generated = 0;
                    for (int c = 0; c < clients; c++) {
                        JsonNode answer = futures.get(c).get();
                        generated +=
                                answer.path("usage").path("completionTokens").asLong();
                        ttft.get(k)
                                .add(answer.path("timings")
                                        .path("timeToFirstTokenMs")
                                        .asDouble());
                        corrupted[k] += answer.path("text").asText().equals(alone[c]) ? 0 : 1;
                        answers[k]++;
                    }
                    aggregate.get(k).add(generated * 1e9 / (System.nanoTime() - start));
                }
            }
        }
        Double single = null;
        Double singleTtft = null;
        for (int k = 0; k < COUNTS.length; k++) {
            int clients = COUNTS[k];
            Stats throughput = Stats.of(aggregate.get(k));
            aggregates[k] = throughput.median();
            Row row = Row.of(
                    "concurrency",
                    clients + " client(s): aggregate",
                    "tok/s",
                    throughput,
                    model + ", " + tokens + " greedy tokens each, " + rounds + " rounds");
            double goal = clients == 4 ? 2.5 : clients == 8 ? 4.0 : 0;
            rows.add(
                    single == null
                            ? row
                            : goal > 0
                                    ? row.compared(throughput.median() / single, "vs 1 client", goal)
                                    : row.compared(throughput.median() / single, "vs 1 client"));
            single = single == null ? throughput.median() : single;
            Stats t = Stats.of(ttft.get(k));
            Row p95 = Row.of(
                    "concurrency",
                    clients + " client(s): p95 time to first token",
                    "ms",
                    new Stats(t.p95(), t.min(), t.max(), t.p95(), t.n()),
                    "server-side, queue wait included (median column shows p95)");
            rows.add(
                    singleTtft == null
                            ? p95
                            : clients == 4
                                    ? p95.compared(singleTtft / t.p95(), "1 client's p95 / this", 0.5)
                                    : p95.compared(singleTtft / t.p95(), "1 client's p95 / this"));
            singleTtft = singleTtft == null ? t.p95() : singleTtft;
            rows.add(Row.of(
                    "concurrency",
                    clients + " client(s): corrupted answers",
                    "count",
                    Stats.of(corrupted[k]),
                    answers[k] + " answers compared with the single-client answer to the same prompt"));
        }
        staggered(client, tokens, rounds, (long) (tokens * 1e9 / single), alone, singleTtft, rows);
        return new Figures(promptTokens, aggregates);
    }

    /**
     * llama.cpp on {@code gguf} with the same prompts, as the ids the function read ({@code engine}'s
     * lengths are checked), started together on 1, 2, 4 and 8 sequences: its aggregate and p95 time
     * to first token against its own single sequence, the function's against it, and its answers
     * that differ from the same prompt alone. Its times are taken in-process, without HTTP.
     */
    static void llamaCpp(LlamaCpp llama, Path gguf, int tokens, int repeats, Figures engine, List<Row> rows)
            throws Exception {
        LlamaCpp.Result tokenized = llama.run(
                new LlamaCpp.Request(
                        gguf.toString(), threads(), null, null, null, null, null, null, List.of(PROMPTS), null),
                LLAMA_TIMEOUT);
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < PROMPTS.length; i++) {
            int[] ids = IntStream.concat(
                            IntStream.of(SyntheticModel.BOS),
                            IntStream.of(tokenized.tokenize().get(i)))
                    .toArray();
            if (ids.length != engine.promptTokens()[i]) {
                throw new IllegalStateException("llama.cpp reads prompt " + i + " as " + ids.length
                        + " tokens, the function as " + engine.promptTokens()[i] + ": the rows would not compare");
            }
            prompts.add(ids);
        }
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow() + tokens;
        LlamaCpp.Result result = llama.run(
                new LlamaCpp.Request(
                        gguf.toString(),
                        threads(),
                        null,
                        (longest / 256 + 1) * 256,
                        repeats,
                        null,
                        null,
                        null,
                        null,
                        new LlamaCpp.Parallel(prompts, tokens, COUNTS)),
                LLAMA_TIMEOUT);
        String how = llama.describe(result) + ", " + gguf.getFileName() + ", " + tokens + " greedy tokens each";
        Double single = null;
        Double singleTtft = null;
        for (int k = 0; k < COUNTS.length; k++) {
            int count = COUNTS[k];
            List<LlamaCpp.ParallelRun> runs = result.parallel().runs().stream()
                    .filter(r -> r.sequences() == count)
                    .toList();
            Stats throughput = Stats.of(
                    runs.stream().map(LlamaCpp.ParallelRun::tokensPerSecond).toList());
            Row aggregate =
                    Row.of("concurrency", "llama.cpp, " + count + " sequence(s): aggregate", "tok/s", throughput, how);
            rows.add(single == null ? aggregate : aggregate.compared(throughput.median() / single, "vs 1 sequence"));
            single = single == null ? throughput.median() : single;
            rows.add(Row.of(
                            "concurrency",
                            count + " client(s): function / llama.cpp, aggregate",
                            "x",
                            Stats.of(engine.aggregate()[k] / throughput.median()),
                            "medians of the rows above")
                    .compared(engine.aggregate()[k] / throughput.median(), "function / llama.cpp"));
            Stats t = Stats.of(
                    runs.stream().flatMap(r -> r.timeToFirstTokenMs().stream()).toList());
            Row p95 = Row.of(
                    "concurrency",
                    "llama.cpp, " + count + " sequence(s): p95 time to first token",
                    "ms",
                    new Stats(t.p95(), t.min(), t.max(), t.p95(), t.n()),
                    "from the start of the run, in-process (median column shows p95)");
            rows.add(singleTtft == null ? p95 : p95.compared(singleTtft / t.p95(), "1 sequence's p95 / this"));
            singleTtft = singleTtft == null ? t.p95() : singleTtft;
            rows.add(Row.of(
                    "concurrency",
                    "llama.cpp, " + count + " sequence(s): answers differing from alone",
                    "count",
                    Stats.of(runs.stream()
                            .mapToInt(r -> r.differing(result.parallel().alone()))
                            .sum()),
                    runs.size() * count + " answers compared with the same prompt on one sequence"));
        }
    }

    private static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Four clients that start a quarter of a request apart and then send one request after another. */
    private static void staggered(
            FunctionClient client,
            int tokens,
            int rounds,
            long requestNanos,
            String[] alone,
            double singleTtft,
            List<Row> rows)
            throws Exception {
        int clients = 4;
        List<Future<List<JsonNode>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                int prompt = c;
                long delayNanos = c * requestNanos / clients;
                futures.add(pool.submit(() -> {
                    Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
                    List<JsonNode> answers = new ArrayList<>();
                    for (int round = 0; round < 2 * rounds; round++) {
                        answers.add(client.call("generate", body(prompt, tokens)));
                    }
                    return answers;
                }));
            }
        }
        List<Double> ttft = new ArrayList<>();
        int corrupted = 0;
        for (int c = 0; c < clients; c++) {
            for (JsonNode answer : futures.get(c).get()) {
                ttft.add(answer.path("timings").path("timeToFirstTokenMs").asDouble());
                corrupted += answer.path("text").asText().equals(alone[c]) ? 0 : 1;
            }
        }
        Stats t = Stats.of(ttft);
        rows.add(Row.of(
                        "concurrency",
                        "4 clients sending independently: p95 time to first token",
                        "ms",
                        new Stats(t.p95(), t.min(), t.max(), t.p95(), t.n()),
                        "starts a quarter of a request apart, then back to back (median column shows p95)")
                .compared(singleTtft / t.p95(), "1 client's p95 / this"));
        rows.add(Row.of(
                "concurrency",
                "4 clients sending independently: corrupted answers",
                "count",
                Stats.of(corrupted),
                ttft.size() + " answers compared with the single-client answer to the same prompt"));
    }

    /**
     * One client's speed on the batching function against a function whose engine runs one sequence
     * at a time ({@code engram.inference.max-batch=1}), request by request in turn so a drift of the
     * machine favours neither. Goal: batching costs a lone client at most 5 %.
     */
    static void batchingCost(FunctionClient batched, FunctionClient unbatched, int tokens, int rounds, List<Row> rows)
            throws Exception {
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int round = 0; round < 4 * rounds; round++) {
            with.add(speed(batched, round % PROMPTS.length, tokens));
            without.add(speed(unbatched, round % PROMPTS.length, tokens));
        }
        Stats alone = Stats.of(without);
        Stats shared = Stats.of(with);
        rows.add(Row.of(
                "concurrency",
                "1 client, engine without batching (max-batch 1)",
                "tok/s",
                alone,
                tokens + " greedy tokens, prefill and HTTP included; requests alternate with the row below"));
        rows.add(Row.of("concurrency", "1 client, engine batching (max-batch 8)", "tok/s", shared, "the same requests")
                .compared(shared.median() / alone.median(), "batching / without", 0.95));
    }

    /** Completion tokens per second of one request, as its client sees it. */
    private static double speed(FunctionClient client, int prompt, int tokens) throws Exception {
        long start = System.nanoTime();
        JsonNode answer = client.call("generate", body(prompt, tokens));
        return answer.path("usage").path("completionTokens").asLong() * 1e9 / (System.nanoTime() - start);
    }

    private static Map<String, Object> body(int prompt, int tokens) {
        return Map.of("prompt", PROMPTS[prompt], "maxTokens", tokens, "temperature", 0);
    }
}
