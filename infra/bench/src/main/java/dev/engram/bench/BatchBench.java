package dev.engram.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Batch throughput: lines/s of a batch job (submit → completed, loading and the output file included)
 * against the same requests sent one after another to the function itself, measured alternately in the
 * same run. The difference is what the runner costs per line (Redis claim and commit, JSON, the file).
 */
final class BatchBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One workload: a function and the body every line sends it. */
    record Workload(String label, String function, Map<String, Object> body) {}

    private final BenchOptions options;
    private final List<Row> rows;
    /** The batch function's input and output root; the files are tenant default's (authentication off). */
    private final Path root;

    private final Path dir;

    BatchBench(BenchOptions options, List<Row> rows) {
        this.options = options;
        this.rows = rows;
        this.root = options.out().toAbsolutePath().getParent().resolve("batch-bench");
        this.dir = root.resolve("default");
    }

    static Workload classify() {
        return new Workload(
                "classify embedding",
                "classify",
                Map.of(
                        "text",
                        "The team shipped the new release on Friday and the customers loved the faster search.",
                        "labels",
                        List.of("sports", "business", "technology", "weather"),
                        "mode",
                        "embedding"));
    }

    static Workload generate() {
        return new Workload(
                "generate 16 tokens",
                "generate",
                Map.of("prompt", "Once upon a time", "maxTokens", 16, "temperature", 0));
    }

    /** {@code direct} serves the workload's function, {@code batch} is the batch function; both on the same Redis. */
    void run(Workload workload, FunctionClient direct, FunctionClient batch) throws Exception {
        int lines = options.tiny() ? 10 : options.quick() ? 50 : 200;
        Files.createDirectories(dir);
        try {
            Path input = dir.resolve(workload.function() + ".jsonl");
            List<String> text = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                text.add(JSON.writeValueAsString(
                        Map.of("customId", "l-" + i, "function", workload.function(), "body", workload.body())));
            }
            Files.writeString(input, String.join("\n", text) + "\n");
            // warm both paths (JIT, the embedder's first call, the model's first generation)
            job(batch, input, Math.min(lines, 10));
            for (int i = 0; i < 5; i++) {
                direct.call(workload.function(), workload.body());
            }
            List<Double> loop = new ArrayList<>();
            List<Double> jobs = new ArrayList<>();
            for (int r = 0; r < options.repeats(); r++) {
                long start = System.nanoTime();
                for (int i = 0; i < lines; i++) {
                    direct.call(workload.function(), workload.body());
                }
                loop.add(lines / ((System.nanoTime() - start) / 1e9));
                jobs.add(lines / job(batch, input, lines));
            }
            Stats baseline = Stats.of(loop);
            Stats measured = Stats.of(jobs);
            rows.add(Row.of(
                    "batch",
                    workload.label() + ": direct calls in a loop (baseline)",
                    "lines/s",
                    baseline,
                    lines + " POST /" + workload.function() + " one after another"));
            rows.add(Row.of(
                            "batch",
                            workload.label() + ": batch job",
                            "lines/s",
                            measured,
                            lines + "-line job, submit to completed (output file written)")
                    .compared(measured.median() / baseline.median(), "batch / direct"));
            List<Double> overhead = new ArrayList<>();
            for (int r = 0; r < jobs.size(); r++) {
                overhead.add(100 * (loop.get(r) / jobs.get(r) - 1));
            }
            rows.add(Row.of(
                    "batch",
                    workload.label() + ": runner overhead per line",
                    "%",
                    Stats.of(overhead),
                    "time per line in the job over time per direct call, minus 1 (goal < 5)"));
        } finally {
            delete(root);
        }
    }

    /** What the batch function needs set to read and write here (engram.batch.input-root, output-root). */
    Map<String, String> env() {
        return Map.of("ENGRAM_BATCH_INPUT_ROOT", root.toString(), "ENGRAM_BATCH_OUTPUT_ROOT", root.toString());
    }

    /** Runs one job on the first {@code lines} lines of the input (a copy) and returns its seconds. */
    private double job(FunctionClient batch, Path input, int lines) throws Exception {
        Path part = dir.resolve("part-" + System.nanoTime() + ".jsonl");
        Files.write(part, Files.readAllLines(input).subList(0, lines));
        long start = System.nanoTime();
        JsonNode status = batch.call("batch-submit", Map.of("input", part.toString()));
        String jobId = status.get("jobId").asText();
        while (!"completed".equals(status.path("state").asText())) {
            Thread.sleep(50); // polls cost the runner CPU: 50 ms is under 1 % of a job's time
            status = batch.call("batch-status", Map.of("jobId", jobId));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status.get("failed").asInt() != 0 || status.get("written").asInt() != lines) {
            throw new IllegalStateException("Batch job " + jobId + " did not run cleanly: " + status);
        }
        return seconds;
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var tree = Files.walk(dir)) {
                for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
