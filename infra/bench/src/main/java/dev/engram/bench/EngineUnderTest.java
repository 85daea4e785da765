package dev.engram.bench;

import dev.engram.inference.LanguageModel;
import dev.engram.inference.jlama.JlamaEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The engine the decode and prefill rows measure against llama.cpp and Jlama, in one place.
 *
 * <p>TO MEASURE ANOTHER ENGINE, CHANGE THE THREE METHODS BELOW AND NOTHING ELSE: every engine row, the
 * ratios, the bandwidth percentages (from the size of what {@link #model} returns) and the
 * {@code POST /generate} row (its function is started with {@code ENGRAM_MODEL_PATH} = {@link #model})
 * follow. An engine that reads GGUF returns {@code Optional.of(weights.gguf())} from {@link #model},
 * the very file llama.cpp runs, for every format.
 */
final class EngineUnderTest {
    private EngineUnderTest() {}

    /**
     * The model file or directory the engine loads for {@code weights}, or empty when it cannot run
     * them (their engine rows are then left out). Today: Jlama's safetensors directory, which exists
     * for F32 and Jlama's Q4 (F32 embeddings), not for Q8.
     */
    static Optional<Path> model(BenchWeights weights) {
        return weights.jlamaDir();
    }

    /** Loads {@code model} (from {@link #model}) with the machine's cores, as a function would. */
    static LanguageModel load(Path model) {
        return JlamaEngine.load(model, new JlamaEngine.Options(4, Duration.ofMinutes(30), Optional.empty(), Optional.empty()));
    }

    /** The engine and its kernels, for the rows' notes. */
    static String describe() {
        return "JlamaEngine (" + JlamaEngine.backend() + ")";
    }
}
