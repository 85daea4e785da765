package dev.engram.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The harness's command line.
 *
 * @param quick fewer repeats and tokens, no F32 (under 4 minutes)
 * @param tiny every inference row on a tiny model instead of the Llama-3.2-1B shape (the smoke test)
 * @param repeats measured runs per figure (after one warm-up)
 * @param decodeTokens greedy tokens per decode run
 * @param cacheDir where the synthetic models are written once and kept
 * @param referenceModel the real tiny model used for start-up, sessions and concurrency correctness
 * @param functionsDir the {@code functions/} directory holding the packaged functions
 * @param out the JSON result file
 * @param only sections to run (empty: all)
 * @param llamaCpp where node-llama-cpp is installed (the llama.cpp baseline); empty: no llama.cpp rows
 */
public record BenchOptions(
        boolean quick,
        boolean tiny,
        int repeats,
        int decodeTokens,
        Path cacheDir,
        Path referenceModel,
        Path functionsDir,
        Path out,
        Set<String> only,
        Optional<Path> llamaCpp) {

    static final String USAGE = """
            infra/bench/run.sh [--quick] [--tiny] [--repeats N] [--tokens N] [--only section,section]
                               [--cache DIR] [--model DIR] [--functions DIR] [--out FILE] [--llama-cpp DIR|none]
            sections: bandwidth decode prefill startup concurrency memory promotion recall-quality classify batch structured cluster""";

    public static BenchOptions parse(String... args) {
        boolean quick = false;
        boolean tiny = false;
        Integer repeats = null;
        Integer tokens = null;
        Path root = Path.of(System.getProperty("engram.bench.root", "."))
                .toAbsolutePath()
                .normalize();
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "engram", "synthetic");
        Path model = root.resolve("shared/src/main/resources/models/stories260K");
        Path functions = root.resolve("functions");
        Path out = null;
        Optional<Path> llamaCpp = Optional.of(root.resolve("infra/bench/llama-cpp"));
        Set<String> only = Set.of();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            switch (arg) {
                case "--quick" -> quick = true;
                case "--tiny" -> tiny = true;
                case "--repeats" -> repeats = Integer.parseInt(value(rest, arg));
                case "--tokens" -> tokens = Integer.parseInt(value(rest, arg));
                case "--cache" -> cache = Path.of(value(rest, arg));
                case "--model" -> model = Path.of(value(rest, arg));
                case "--functions" -> functions = Path.of(value(rest, arg));
                case "--out" -> out = Path.of(value(rest, arg));
                case "--only" -> only = Set.of(value(rest, arg).split(","));
                case "--llama-cpp" -> {
                    String dir = value(rest, arg);
                    llamaCpp = dir.equals("none") ? Optional.empty() : Optional.of(Path.of(dir));
                }
                default -> throw new IllegalArgumentException("Unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        if (out == null) {
            out = root.resolve("infra/bench/results/" + LocalDate.now() + (quick ? "-quick" : "") + ".json");
        }
        int r = repeats != null ? repeats : quick ? 2 : 3;
        int t = tokens != null ? tokens : quick ? 32 : 128;
        return new BenchOptions(quick, tiny, r, t, cache, model, functions, out, only, llamaCpp);
    }

    public boolean runs(String section) {
        return only.isEmpty() || only.contains(section);
    }

    private static String value(List<String> rest, String flag) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        }
        return rest.removeFirst();
    }
}
