package dev.engram.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Row 5: 1, 2 and 4 clients at once against one running function. Each client has its own prompt, and
 * every answer must equal the answer that prompt got alone (Jlama corrupts concurrent generations on
 * one model unless they are serialised), so a speed-up bought with wrong text shows up here.
 */
final class ConcurrencyBench {
    private static final String[] PROMPTS = {
        "The river was wide and slow that summer",
        "In the workshop the old clockmaker opened a drawer",
        "Rain fell on the market square all morning",
        "She counted the lanterns along the bridge",
    };

    private ConcurrencyBench() {}

    static void run(FunctionClient client, String model, int tokens, int rounds, List<Row> rows) throws Exception {
        String[] alone = new String[PROMPTS.length];
        for (int i = 0; i < PROMPTS.length; i++) {
            alone[i] = client.call("generate", body(i, tokens)).path("text").asText();
        }
        Double single = null;
        for (int clients : new int[] {1, 2, 4}) {
            List<Double> ttft = new ArrayList<>();
            List<Double> aggregate = new ArrayList<>();
            int corrupted = 0;
            int answers = 0;
            try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
                for (int round = 0; round < rounds; round++) {
                    long start = System.nanoTime();
                    List<Future<JsonNode>> futures = new ArrayList<>();
                    for (int c = 0; c < clients; c++) {
                        int prompt = c;
                        futures.add(pool.submit(() -> client.call("generate", body(prompt, tokens))));
                    }
                    long generated = 0;
                    for (int c = 0; c < clients; c++) {
                        JsonNode answer = futures.get(c).get();
                        generated += answer.path("usage").path("completionTokens").asLong();
                        ttft.add(answer.path("timings").path("timeToFirstTokenMs").asDouble());
                        corrupted += answer.path("text").asText().equals(alone[c]) ? 0 : 1;
                        answers++;
                    }
                    aggregate.add(generated * 1e9 / (System.nanoTime() - start));
                }
            }
            Stats throughput = Stats.of(aggregate);
            Row row = Row.of("concurrency", clients + " client(s): aggregate", "tok/s", throughput,
                    model + ", " + tokens + " greedy tokens each, " + rounds + " rounds");
            rows.add(single == null ? row : row.compared(throughput.median() / single, "vs 1 client"));
            single = single == null ? throughput.median() : single;
            Stats t = Stats.of(ttft);
            rows.add(Row.of("concurrency", clients + " client(s): p95 time to first token", "ms",
                    new Stats(t.p95(), t.min(), t.max(), t.p95(), t.n()), "server-side, queue wait included (median column shows p95)"));
            rows.add(Row.of("concurrency", clients + " client(s): corrupted answers", "count", Stats.of(corrupted),
                    answers + " answers compared with the single-client answer to the same prompt"));
        }
    }

    private static Map<String, Object> body(int prompt, int tokens) {
        return Map.of("prompt", PROMPTS[prompt], "maxTokens", tokens, "temperature", 0);
    }
}
