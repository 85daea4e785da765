package dev.engram.functions.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.memory.embedding.Embedder;
import dev.engram.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The ONNX runtime copies its native libraries into a temp directory when the embedder first loads and
 * deletes them only at a normal JVM exit; the embedder deletes the copies once they are loaded, so an
 * instance that is killed leaves nothing behind.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class EmbedderNativeLibraryTest {
    @Inject
    Embedder embedder;

    @Test
    void onnxRuntimesExtractedLibrariesAreNotLeftInTheTempDir() throws IOException {
        assertThat(embedder.embed("a note to load the model")).hasSize(384);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> files = Files.walk(tmp, 2)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("libonnxruntime"))
                            .toList())
                    .as("ONNX runtime copies under %s", tmp)
                    .isEmpty();
        }
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            assertThat(maps.anyMatch(line -> line.contains("libonnxruntime")))
                    .as("the ONNX runtime is loaded")
                    .isTrue();
        }
    }
}
