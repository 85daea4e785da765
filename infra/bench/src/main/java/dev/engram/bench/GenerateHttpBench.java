package dev.engram.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** (a) The running generate function on the engine's model: client-side wall time, JSON and HTTP included. */
final class GenerateHttpBench {
    private GenerateHttpBench() {}

    static void run(
            BenchOptions options,
            List<Row> rows,
            BenchWeights weights,
            FunctionClient client,
            InferenceBench.EngineFigures engine)
            throws IOException, InterruptedException {
        String prompt = Prompts.TEXT;
        Map<String, Object> body = Map.of("prompt", prompt, "maxTokens", weights.decodeTokens(), "temperature", 0);
        // A full-length request first: the engine's figure comes from a warmed-up JVM, and the function's
        // just started; what is compared is the cost of HTTP and JSON, not of the JIT's first minutes.
        client.call("generate", body);
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
        rows.add(Row.of(
                        "decode",
                        weights.label() + ": POST /generate, end to end",
                        "tok/s",
                        stats,
                        "client wall time, after one warm-up request of the same length; greedy text differs from the engine's in "
                                + mismatches + " of " + options.repeats())
                .compared(stats.median() / engine.endToEnd().median(), "a/b (HTTP / engine, end to end)", 0.95));
    }
}
