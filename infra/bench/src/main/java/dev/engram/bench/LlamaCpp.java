package dev.engram.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * llama.cpp, the baseline of the decode, prefill and concurrency rows: node-llama-cpp's prebuilt CPU binaries
 * driven by {@code bench.mjs} in its install directory ({@code infra/bench/llama-cpp}, installed by
 * {@code infra/bench/run.sh} with {@code npm ci}). Each {@link #run} is one Node process that loads
 * one GGUF file and exits, so llama.cpp never holds memory while the engine is measured.
 */
final class LlamaCpp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final String version;

    private LlamaCpp(Path dir, String version) {
        this.dir = dir;
        this.version = version;
    }

    /** What the Node script is asked to do; see bench.mjs. Absent (null) parts are not done. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Request(
            String model,
            int threads,
            Integer batchSize,
            Integer contextSize,
            Integer repeats,
            List<int[]> prefill,
            Decode decode,
            Integer warmUpTokens,
            List<String> tokenize,
            Parallel parallel) {}

    /** A greedy continuation of {@code prompt} (ids, BOS included) of {@code tokens} tokens. */
    record Decode(int[] prompt, int tokens) {}

    /**
     * For each count, that many sequences (prompt i on sequence i, ids with BOS) started together, each
     * continued greedily for {@code tokens} tokens, as llama.cpp's server runs parallel slots.
     */
    record Parallel(List<int[]> prompts, int tokens, int[] counts) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Result(
            JsonNode llama,
            double loadMs,
            int contextSize,
            int batchSize,
            List<Prefill> prefill,
            DecodeResult decode,
            List<int[]> tokenize,
            ParallelResult parallel) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Prefill(int tokens, List<Double> tokensPerSecond) {}

    /** Each prompt's greedy tokens alone, and one run per count and repeat. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ParallelResult(List<int[]> alone, List<ParallelRun> runs) {}

    /** All sequences' tokens per second of the run; per sequence, the time from the start to its first token and its tokens. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ParallelRun(int sequences, double tokensPerSecond, List<Double> timeToFirstTokenMs, List<int[]> tokens) {
        /** How many sequences' tokens differ from their prompt's {@code alone}. */
        int differing(List<int[]> alone) {
            return (int) IntStream.range(0, sequences)
                    .filter(i -> !Arrays.equals(tokens.get(i), alone.get(i)))
                    .count();
        }
    }

    /** Speeds per repeat; the greedy ids of the first repeat (end-of-generation tokens kept) and their text. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DecodeResult(List<Double> tokensPerSecond, int[] tokens, String text, boolean sameEveryRepeat) {}

    /**
     * node-llama-cpp as installed in {@code dir}.
     *
     * @throws IllegalStateException naming the install command when it is not installed there
     */
    static LlamaCpp at(Path dir) {
        Path manifest = dir.resolve("node_modules/node-llama-cpp/package.json");
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(dir.resolve("bench.mjs"))) {
            throw new IllegalStateException("node-llama-cpp is not installed in " + dir + ": run (cd " + dir
                    + " && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci), as infra/bench/run.sh does");
        }
        try {
            return new LlamaCpp(
                    dir, JSON.readTree(manifest.toFile()).path("version").asText());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + manifest, e);
        }
    }

    static boolean installedIn(Path dir) {
        return Files.isRegularFile(dir.resolve("node_modules/node-llama-cpp/package.json"));
    }

    /** The node-llama-cpp version, e.g. 3.21.1. */
    String version() {
        return version;
    }

    Result run(Request request, Duration timeout) throws IOException, InterruptedException {
        String out = Subprocess.run(
                List.of("node", dir.resolve("bench.mjs").toString()),
                dir,
                Map.of("NODE_LLAMA_CPP_SKIP_DOWNLOAD", "true"),
                JSON.writeValueAsString(request),
                timeout);
        return JSON.readValue(out, Result.class);
    }

    /** How the result was obtained, for a row's note. */
    String describe(Result result) {
        return "node-llama-cpp " + version + " (llama.cpp "
                + result.llama().path("release").path("release").asText("?") + ", "
                + result.llama().path("buildType").asText("?") + "), "
                + result.llama().path("threads").asInt() + " threads, batch "
                + result.batchSize();
    }
}
