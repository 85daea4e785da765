package dev.engram.bench;

import dev.engram.inference.InferenceObserver;
import dev.engram.inference.LanguageModel;
import dev.engram.inference.engine.EngramEngine;
import dev.engram.inference.kernels.Lanes;
import dev.engram.inference.kernels.NativeKernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The engine the decode and prefill rows measure against llama.cpp and Jlama, in one place: Engram's
 * own engine on the very GGUF file llama.cpp runs, for every format. Every engine row, the ratios, the
 * bandwidth percentages (from the size of what {@link #model} returns) and the {@code POST /generate}
 * row (its function is started with {@code ENGRAM_MODEL_PATH} = {@link #model}) follow from here.
 */
final class EngineUnderTest {
    private EngineUnderTest() {}

    /** The model file the engine loads for {@code weights}: the GGUF llama.cpp runs. */
    static Optional<Path> model(BenchWeights weights) {
        return Optional.of(weights.gguf());
    }

    /** Loads {@code model} (from {@link #model}) with the machine's cores, as a function would. */
    static LanguageModel load(Path model) {
        try {
            return EngramEngine.load(
                    model,
                    new EngramEngine.Options(
                            Runtime.getRuntime().availableProcessors(),
                            Optional.empty(),
                            true,
                            2L << 30,
                            8,
                            256,
                            4,
                            Duration.ofMinutes(30),
                            InferenceObserver.NONE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The engine and its kernels, for the rows' notes. */
    static String describe() {
        String kernels = NativeKernels.best().map(k -> ", " + k.describe()).orElse("");
        return "Engram engine (" + Runtime.getRuntime().availableProcessors() + " threads, " + Lanes.describe()
                + kernels + ")";
    }
}
