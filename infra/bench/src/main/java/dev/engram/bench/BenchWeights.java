package dev.engram.bench;

import com.github.tjake.jlama.safetensors.DType;
import dev.engram.inference.convert.GgufExport;
import dev.engram.inference.gguf.GgmlType;
import dev.engram.testing.synthetic.SyntheticModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One weight format of the synthetic random-weight model, in the files each side of a ratio loads:
 * a GGUF file (llama.cpp, and an engine that reads GGUF) and, where Jlama has the format, Jlama's
 * safetensors directory. All are made from the same F32 weights; their text is meaningless, only
 * their speed is.
 *
 * @param label e.g. "llama32-1b Q4"
 * @param ggufType the GGUF type of the matrices: F32, Q8_0 or Q4_0
 * @param gguf the GGUF file, cached beside the safetensors
 * @param jlamaDir Jlama's directory of these weights (none for Q8: Jlama 0.8.4 cannot multiply I8 by I8)
 * @param decodeTokens greedy tokens per decode run (fewer for F32, the slowest)
 * @param goal the least engine / llama.cpp decode ratio the project aims for (issue 17)
 */
record BenchWeights(
        String label, GgmlType ggufType, Path gguf, Optional<Path> jlamaDir, int decodeTokens, double goal) {
    /** Fixed, so every run measures the same bytes. */
    static final long SEED = 20261129L;

    /** Q4 first: it is the main model (prefill and concurrency run on it). F32, the slowest, only in full runs. */
    static List<BenchWeights> prepare(BenchOptions options) {
        SyntheticModel.Shape shape = options.tiny() ? SyntheticModel.Shape.tiny() : SyntheticModel.Shape.llama32_1b();
        String name = options.tiny() ? "tiny" : "llama32-1b";
        Path cache = options.cacheDir();
        Path f32 = SyntheticModel.write(cache.resolve(name + "-f32"), shape, SEED);
        List<BenchWeights> weights = new ArrayList<>();
        Path q4 = SyntheticModel.quantize(f32, cache.resolve(name + "-q4"), DType.Q4);
        int tokens = options.decodeTokens();
        weights.add(new BenchWeights(
                name + " Q4",
                GgmlType.Q4_0,
                gguf(f32, cache.resolve(name + "-Q4_0.gguf"), GgmlType.Q4_0),
                Optional.of(q4),
                tokens,
                0.8));
        weights.add(new BenchWeights(
                name + " Q8",
                GgmlType.Q8_0,
                gguf(f32, cache.resolve(name + "-Q8_0.gguf"), GgmlType.Q8_0),
                Optional.empty(),
                tokens,
                0.8));
        if (!options.quick()) {
            // A 1B F32 token takes ~0.25 s on 2 cores: a quarter of the tokens keeps the full run short.
            weights.add(new BenchWeights(
                    name + " F32",
                    GgmlType.F32,
                    gguf(f32, cache.resolve(name + "-F32.gguf"), GgmlType.F32),
                    Optional.of(f32),
                    Math.max(8, tokens / 4),
                    0.9));
        }
        return weights;
    }

    /** The bytes one decoded token streams from {@code model}: every weight once (≈ the weight files' size). */
    static long bytesPerToken(Path model) {
        try {
            if (Files.isRegularFile(model)) {
                return Files.size(model);
            }
            try (Stream<Path> files = Files.list(model)) {
                long total = 0;
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".safetensors"))
                        .toList()) {
                    total += Files.size(f);
                }
                return total;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code source} (a Hugging Face directory) as a GGUF file of {@code type} at {@code target}, exported
     * once: a stamp beside the file records what it was made from, and a changed source is exported again.
     */
    static Path gguf(Path source, Path target, GgmlType type) {
        try {
            Path stampFile = target.resolveSibling(target.getFileName() + ".stamp");
            String stamp = "type=" + type + "\nsource=" + source.toAbsolutePath() + "\n" + sourceStamp(source);
            if (Files.isRegularFile(target)
                    && Files.isRegularFile(stampFile)
                    && Files.readString(stampFile).equals(stamp)) {
                return target;
            }
            Files.deleteIfExists(stampFile);
            Bench.progress("exporting " + source.getFileName() + " to GGUF " + type + " (" + target + ")");
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            GgufExport.export(source, type, partial);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(stampFile, stamp, StandardCharsets.UTF_8);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not export " + source + " to " + target, e);
        }
    }

    /** The synthetic model's own stamp, or (for another model) its files' sizes and times. */
    private static String sourceStamp(Path source) throws IOException {
        Optional<String> synthetic = SyntheticModel.stamp(source);
        if (synthetic.isPresent()) {
            return synthetic.get();
        }
        StringBuilder stamp = new StringBuilder();
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.sorted().toList()) {
                stamp.append(f.getFileName())
                        .append(' ')
                        .append(Files.size(f))
                        .append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis())
                        .append('\n');
            }
        }
        return stamp.toString();
    }
}
