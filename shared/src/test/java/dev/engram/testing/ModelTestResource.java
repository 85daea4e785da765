package dev.engram.testing;

import dev.engram.inference.synthetic.SyntheticModel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Points a function under test at stories260K. Where the reference model is absent (and not required)
 * a tiny synthetic model written by project code stands in, so the function still starts and every
 * test that does not compare against the reference still runs.
 */
public class ModelTestResource implements QuarkusTestResourceLifecycleManager {
    private Path synthetic;

    @Override
    public Map<String, String> start() {
        Path model;
        if (TestModels.stories260KPresent()) {
            model = TestModels.stories260KLocation();
        } else if (TestModels.modelRequired()) {
            throw new IllegalStateException("The reference model is required but missing at " + TestModels.stories260KLocation());
        } else {
            try {
                synthetic = Files.createTempDirectory("engram-test-model-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            model = SyntheticModel.write(synthetic, SyntheticModel.Shape.tiny(), 42L);
        }
        return Map.of("engram.model.path", model.toString());
    }

    @Override
    public void stop() {
        if (synthetic != null) {
            try (Stream<Path> tree = Files.walk(synthetic)) {
                tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
