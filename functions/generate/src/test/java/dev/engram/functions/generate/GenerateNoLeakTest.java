package dev.engram.functions.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.inference.models.Models;
import dev.engram.inference.jlama.JlamaEngine;
import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The KV cache never reaches the disk: with a working directory configured (the test profile sets
 * one; by default there is none), 200 generations leave it empty and the temp dir no fuller.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class GenerateNoLeakTest {
    @Inject
    Models models;

    @Test
    void twoHundredGenerationsLeaveNoKvFiles() throws IOException {
        Path workDir = ((JlamaEngine) models.get()).workDir().orElseThrow();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        GenerateSamplingTest.generate("prompt", "Once upon a time", "maxTokens", 16);
        long tmpEntriesAfterOne = count(tmp);
        assertThat(count(workDir)).isZero();
        for (int i = 0; i < 200; i++) {
            GenerateSamplingTest.generate("prompt", "Once upon a time " + i, "maxTokens", 16, "temperature", 0.7, "seed", i);
        }
        assertThat(Files.isDirectory(workDir)).isTrue();
        assertThat(count(workDir)).as("files in %s", workDir).isZero();
        assertThat(count(tmp)).as("entries in %s", tmp).isLessThanOrEqualTo(tmpEntriesAfterOne);
    }

    /** Jlama copies libjlama.so into a temp directory at load; the engine deletes the copy once loaded. */
    @Test
    void jlamasExtractedNativeLibraryIsNotLeftInTheTempDir() throws IOException {
        models.get();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.walk(tmp, 2)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("libjlama")).toList())
                    .as("libjlama copies under %s", tmp).isEmpty();
        }
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            assertThat(maps.anyMatch(line -> line.contains("libjlama"))).as("libjlama is loaded").isTrue();
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }
}
