package dev.engram.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the tests find the real reference model. Tests that need it are skipped when it is absent,
 * unless {@code engram.test.require-model=true} (set by .ci/run), in which case they fail.
 */
public final class TestModels {
    private TestModels() {}

    /** The configured stories260K directory, whether or not it exists. */
    public static Path stories260KLocation() {
        String configured = System.getenv("ENGRAM_TEST_MODEL");
        if (configured == null || configured.isBlank()) {
            configured = System.getProperty("engram.test.model", "../shared/models/stories260K");
        }
        return Path.of(configured).toAbsolutePath().normalize();
    }

    public static boolean stories260KPresent() {
        return Files.isRegularFile(stories260KLocation().resolve("config.json"));
    }

    public static boolean modelRequired() {
        return Boolean.parseBoolean(System.getProperty("engram.test.require-model",
                System.getenv().getOrDefault("ENGRAM_TEST_REQUIRE_MODEL", "false")));
    }

    /** The model directory, or a skip (locally) / a failure (CI) when it is missing. */
    public static Path stories260K() {
        Path dir = stories260KLocation();
        if (!stories260KPresent()) {
            if (modelRequired()) {
                fail("The reference model is required but missing at " + dir
                        + " (set ENGRAM_TEST_MODEL to the stories260K directory)");
            }
            Assumptions.abort("stories260K not found at " + dir + "; reference tests skipped");
        }
        return dir;
    }
}
