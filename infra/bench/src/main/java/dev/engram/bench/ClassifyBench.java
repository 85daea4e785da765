package dev.engram.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Row 6, classify: embedding-mode latency per request, and what llm mode pays per label. The shared
 * prompt is run once per request, so 20 labels must cost far less than 10 times 2 labels.
 */
final class ClassifyBench {
    private static final String TEXT =
            "The team shipped the new release on Friday and the customers loved the faster search.";
    private static final List<String> LABELS = List.of(
            "sports",
            "business",
            "technology",
            "weather",
            "music",
            "travel",
            "health",
            "politics",
            "food",
            "science",
            "education",
            "finance",
            "family",
            "games",
            "art",
            "history",
            "nature",
            "fashion",
            "movies",
            "animals");

    private final BenchOptions options;
    private final List<Row> rows;

    ClassifyBench(BenchOptions options, List<Row> rows) {
        this.options = options;
        this.rows = rows;
    }

    void run(FunctionClient client, String model) throws Exception {
        int samples = options.quick() ? 10 : 30;
        Map<String, Object> embedding = Map.of("text", TEXT, "labels", LABELS.subList(0, 4), "mode", "embedding");
        client.call("classify", embedding);
        List<Double> latency = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            latency.add(client.post("classify", embedding).nanos() / 1e6);
        }
        rows.add(Row.of(
                "classify",
                "embedding mode, 4 labels: request latency",
                "ms",
                Stats.of(latency),
                "MiniLM in-process, client wall time"));

        Stats two = llm(client, 2, samples, model);
        Stats twenty = llm(client, 20, samples, model);
        rows.add(Row.of(
                "classify",
                "llm mode: 20 labels / 2 labels",
                "x",
                Stats.of(twenty.median() / two.median()),
                "cost ratio; scoring each label with its own prompt would be ~10x"));
    }

    private Stats llm(FunctionClient client, int labels, int samples, String model) throws Exception {
        Map<String, Object> body = Map.of("text", TEXT, "labels", LABELS.subList(0, labels), "mode", "llm");
        client.call("classify", body);
        List<Double> total = new ArrayList<>();
        List<Double> perLabel = new ArrayList<>();
        List<Double> prompt = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            FunctionClient.Answer a = client.post("classify", body);
            if (!a.ok()) {
                throw new IllegalStateException("POST /classify answered " + a.status() + ": " + a.body());
            }
            JsonNode timings = a.body().path("timings");
            total.add(a.nanos() / 1e6);
            prompt.add(timings.path("promptMs").asDouble());
            perLabel.add(timings.path("labelsMs").asDouble() / labels);
        }
        Stats stats = Stats.of(total);
        rows.add(Row.of(
                "classify",
                "llm mode, " + labels + " labels: request latency",
                "ms",
                stats,
                model + ", client wall time"));
        rows.add(Row.of(
                "classify",
                "llm mode, " + labels + " labels: shared prompt pass",
                "ms",
                Stats.of(prompt),
                "once per request"));
        rows.add(Row.of(
                "classify",
                "llm mode, " + labels + " labels: marginal cost per label",
                "ms",
                Stats.of(perLabel),
                "label continuations over the prompt's KV state"));
        return stats;
    }
}
