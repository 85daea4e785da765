package dev.engram.nativelibs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Jlama ({@code libjlama.so}) and the ONNX runtime copy their native libraries into a fresh directory
 * of {@code java.io.tmpdir} at load and only delete it at a normal JVM exit: every instance that is
 * killed (scale-to-zero, OOM, a crash) leaves one behind. On Linux a loaded library stays mapped after
 * its file is deleted, so the copies this process has loaded are removed right after loading — found
 * in {@code /proc/self/maps}, only below the temp dir, only the names given. Elsewhere it does nothing.
 */
public final class ExtractedLibraries {
    private static final Logger LOG = Logger.getLogger(ExtractedLibraries.class);
    private static final Path MAPS = Path.of("/proc/self/maps");

    private ExtractedLibraries() {}

    /** Deletes the loaded copies of libraries whose file name starts with one of {@code prefixes}, and their directories. */
    public static void removeLoaded(String... prefixes) {
        if (!Files.isReadable(MAPS)) {
            return;
        }
        try {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
            List<Path> loaded = Files.readAllLines(MAPS).stream()
                    .filter(line -> line.indexOf('/') >= 0 && !line.endsWith("(deleted)"))
                    .map(line -> Path.of(line.substring(line.indexOf('/')).strip()))
                    .distinct()
                    .filter(file -> file.startsWith(tmp) && !file.getParent().equals(tmp) && matches(file, prefixes))
                    .toList();
            loaded.forEach(ExtractedLibraries::remove);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("Extracted native libraries not looked for: %s", e.toString());
        }
    }

    private static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
            Path dir = file.getParent();
            try (Stream<Path> rest = Files.list(dir)) {
                if (rest.findAny().isEmpty()) {
                    Files.deleteIfExists(dir);
                }
            }
        } catch (IOException e) {
            LOG.debugf("Extracted native library %s not removed: %s", file, e.toString());
        }
    }

    private static boolean matches(Path file, String[] prefixes) {
        String name = file.getFileName().toString();
        return Stream.of(prefixes).anyMatch(name::startsWith);
    }
}
