package dev.engram.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The memory read bandwidth native code reaches: {@code bandwidth.c} (a resource beside this class)
 * compiled at run time with {@code gcc -O3 -march=native -fopenmp}, so its loop uses the widest
 * vectors the CPU has, and run with a given number of OpenMP threads. The compiled probe lives in a
 * temporary directory deleted when it is closed.
 */
final class NativeBandwidthProbe implements AutoCloseable {
    private static final Duration COMPILE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    private final Path dir;
    private final Path binary;

    private NativeBandwidthProbe(Path dir, Path binary) {
        this.dir = dir;
        this.binary = binary;
    }

    /** The compiled probe, or empty when there is no gcc on the PATH (said on stderr). */
    static Optional<NativeBandwidthProbe> compile() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("engram-bench-bandwidth-");
        try {
            Path source = dir.resolve("bandwidth.c");
            try (InputStream in = NativeBandwidthProbe.class.getResourceAsStream("bandwidth.c")) {
                Files.copy(in, source);
            }
            Path binary = dir.resolve("bandwidth");
            try {
                Subprocess.run(
                        List.of("gcc", "-O3", "-march=native", "-fopenmp", "-o", binary.toString(), source.toString()),
                        dir,
                        Map.of(),
                        "",
                        COMPILE_TIMEOUT);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().contains("Cannot run program")) {
                    Bench.progress("no gcc on the PATH: the native bandwidth probe is left out");
                    BenchFiles.deleteTree(dir);
                    return Optional.empty();
                }
                throw e;
            }
            return Optional.of(new NativeBandwidthProbe(dir, binary));
        } catch (IOException | InterruptedException | RuntimeException e) {
            BenchFiles.deleteTree(dir);
            throw e;
        }
    }

    /** Bytes per second over a buffer of {@code bytes} read by {@code threads} threads, one sample per pass. */
    List<Double> measure(long bytes, int passes, int threads) throws IOException, InterruptedException {
        String out = Subprocess.run(
                List.of(binary.toString(), Long.toString(bytes), Integer.toString(passes)),
                dir,
                Map.of("OMP_NUM_THREADS", Integer.toString(threads)),
                "",
                RUN_TIMEOUT);
        return out.lines().filter(l -> !l.isBlank()).map(Double::parseDouble).toList();
    }

    @Override
    public void close() throws IOException {
        BenchFiles.deleteTree(dir);
    }
}
