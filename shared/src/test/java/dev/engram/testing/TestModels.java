package dev.engram.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the tests find the real reference model: the stories260K copy the project carries under
 * {@code shared/src/main/resources/models}, or the directory {@code ENGRAM_TEST_MODEL} names. It is part
 * of the checkout, so a test that needs it fails (never skips) when it is missing.
 */
public final class TestModels {
    static final Path IN_PROJECT = Path.of("shared", "src", "main", "resources", "models", "stories260K");

    private TestModels() {}

    /** The configured stories260K directory, whether or not it exists. */
    public static Path stories260KLocation() {
        String configured = System.getenv("ENGRAM_TEST_MODEL");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("engram.test.model");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        // Run outside Maven (an IDE): the project's copy, found from the module directory upwards.
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(IN_PROJECT))) {
                return dir.resolve(IN_PROJECT);
            }
        }
        return IN_PROJECT.toAbsolutePath();
    }

    /** The model directory; a missing one is a broken checkout or a wrong ENGRAM_TEST_MODEL. */
    public static Path stories260K() {
        Path dir = stories260KLocation();
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalStateException(
                    "The reference model is missing at " + dir
                            + " (it ships in shared/src/main/resources/models/stories260K; ENGRAM_TEST_MODEL overrides the location)");
        }
        return dir;
    }
}
