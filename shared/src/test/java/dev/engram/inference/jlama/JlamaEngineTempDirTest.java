package dev.engram.inference.jlama;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Loading a model leaves nothing new in the temp dir but the one shared working directory: Jlama,
 * given no working directory, made a fresh one per load, which a killed instance never removed.
 */
class JlamaEngineTempDirTest {

    @Test
    void loadsReuseOneWorkingDirectory() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Set<String> before = names(tmp);
        for (int i = 0; i < 2; i++) {
            JlamaEngine engine = JlamaEngine.load(TestModels.stories260K(), JlamaEngine.Options.defaults());
            engine.close();
        }
        Set<String> added = new HashSet<>(names(tmp));
        added.removeAll(before);
        added.remove(JlamaLoading.sharedWorkDir().getFileName().toString());
        assertThat(added).as("new entries in %s", tmp).isEmpty();
        try (Stream<Path> inside = Files.list(JlamaLoading.sharedWorkDir())) {
            assertThat(inside.toList()).as("the shared working directory").isEmpty();
        }
    }

    /** Jlama copies libjlama.so into a temp directory at load; the engine deletes the copy once loaded. */
    @Test
    void jlamasExtractedNativeLibraryIsNotLeftInTheTempDir() throws IOException {
        JlamaEngine.load(TestModels.stories260K(), JlamaEngine.Options.defaults())
                .close();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.walk(tmp, 2)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("libjlama"))
                            .toList())
                    .as("libjlama copies under %s", tmp)
                    .isEmpty();
        }
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            assertThat(maps.anyMatch(line -> line.contains("libjlama")))
                    .as("libjlama is loaded")
                    .isTrue();
        }
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
