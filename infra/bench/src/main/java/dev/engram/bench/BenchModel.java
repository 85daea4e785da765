package dev.engram.bench;

import com.github.tjake.jlama.safetensors.DType;
import dev.engram.testing.synthetic.SyntheticModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A synthetic random-weight model prepared for the decode rows: its weights are meaningless, so only
 * its speed is. {@code weightBytes} is what one decoded token streams from memory (every weight
 * once; the tied embedding matrix is the output projection).
 */
record BenchModel(String label, Path dir, long weightBytes) {
    /** Fixed, so every run measures the same bytes. */
    static final long SEED = 20261129L;

    static List<BenchModel> prepare(BenchOptions options) {
        SyntheticModel.Shape shape = options.tiny() ? SyntheticModel.Shape.tiny() : SyntheticModel.Shape.llama32_1b();
        String name = options.tiny() ? "tiny" : "llama32-1b";
        Path f32 = SyntheticModel.write(options.cacheDir().resolve(name + "-f32"), shape, SEED);
        List<BenchModel> models = new ArrayList<>();
        if (!options.quick()) {
            models.add(of(name + " F32", f32));
        }
        models.add(of(name + " Q4", SyntheticModel.quantize(f32, options.cacheDir().resolve(name + "-q4"), DType.Q4)));
        // No Q8: Jlama 0.8.4 writes I8 weights, but its kernels cannot multiply them by the I8 activations
        // the engine uses (UnsupportedOperationException "I8 I8" in the first attention layer).
        return models;
    }

    private static BenchModel of(String label, Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            long bytes = files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
            return new BenchModel(label, dir, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
