package dev.engram.inference.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import dev.engram.nativelibs.ExtractedLibraries;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.jboss.logging.Logger;

/** Loading a model into Jlama, and the working directory Jlama is given, kept empty. */
final class JlamaLoading {
    private static final Logger LOG = Logger.getLogger(JlamaLoading.class);

    private JlamaLoading() {}

    static AbstractModel load(Path modelDir, JlamaEngine.Options options) {
        File workDir;
        try {
            workDir = Files.createDirectories(options.workDir().orElseGet(JlamaLoading::sharedWorkDir))
                    .toFile();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the engine working directory", e);
        }
        long start = System.nanoTime();
        Optional<Integer> threads = options.threads();
        AbstractModel model;
        try {
            model = ModelSupport.loadModel(modelDir.toFile(), workDir, DType.F32, DType.I8, Optional.empty(), threads);
        } catch (IllegalStateException e) {
            // Jlama's kernel pool is process-wide and can only be sized once.
            LOG.warnf(
                    "Jlama thread count already fixed for this process; ignoring engram.inference.threads=%s",
                    threads.orElse(0));
            model = ModelSupport.loadModel(
                    modelDir.toFile(), workDir, DType.F32, DType.I8, Optional.empty(), Optional.empty());
        }
        checkKernels(model);
        ExtractedLibraries.removeLoaded("libjlama");
        LOG.infof(
                "Loaded %s in %d ms with %s",
                modelDir.getFileName(), (System.nanoTime() - start) / 1_000_000, backend());
        return model;
    }

    /**
     * The working directory Jlama gets when none is configured. Given none, Jlama makes a fresh temp
     * directory at every load, removed only at a normal JVM exit: every killed instance left an empty
     * one behind. This one has a fixed name, so all loads on a machine reuse it; nothing is written
     * into it, since the engine keeps its KV buffers in memory.
     */
    static Path sharedWorkDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "engram-jlama");
    }

    static String backend() {
        return TensorOperationsProvider.get().name() + ", " + FloatVector.SPECIES_PREFERRED.vectorBitSize()
                + "-bit vectors";
    }

    /**
     * Jlama's Panama kernels read whole vectors; with 512-bit vectors a head smaller than 16 floats
     * reads past its buffer. jlama-native does not have that limit; without it the JVM must cap the
     * vector width.
     */
    private static void checkKernels(AbstractModel model) {
        boolean panama = !TensorOperationsProvider.get().name().toLowerCase().contains("native");
        int floatsPerVector = FloatVector.SPECIES_PREFERRED.vectorBitSize() / Float.SIZE;
        if (panama && model.getConfig().headSize < floatsPerVector) {
            model.close();
            throw new IllegalStateException("Jlama's Panama kernels cannot run head size " + model.getConfig().headSize
                    + " with " + FloatVector.SPECIES_PREFERRED.vectorBitSize()
                    + "-bit vectors: put jlama-native on the "
                    + "classpath or start the JVM with -XX:MaxVectorSize=" + model.getConfig().headSize * Float.BYTES);
        }
    }

    /** Anything Jlama may have paged to a configured working directory belongs to a finished generation by now. */
    static void sweep(Optional<Path> workDir) {
        if (workDir.isEmpty()) {
            return;
        }
        try (Stream<Path> files = Files.list(workDir.get())) {
            files.forEach(JlamaLoading::deleteQuietly);
        } catch (IOException e) {
            LOG.debugf(e, "Could not sweep %s", workDir.get());
        }
    }

    private static void deleteQuietly(Path path) {
        try (Stream<Path> tree = Files.walk(path)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf(e, "Could not delete %s", path);
        }
    }
}
