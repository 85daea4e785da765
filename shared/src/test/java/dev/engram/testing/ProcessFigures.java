package dev.engram.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What a soak test watches in a live process, read from {@code /proc} (Linux): resident memory,
 * threads, open file descriptors, and the size of a directory the process writes to (its temp dir).
 */
public record ProcessFigures(long rssKb, int threads, int openFds, long tmpBytes, int tmpEntries) {

    public static ProcessFigures of(long pid, Path tmpDir) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            long rss = -1;
            int threads = -1;
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
            int fds;
            try (Stream<Path> list = Files.list(proc.resolve("fd"))) {
                fds = (int) list.count();
            }
            long bytes = 0;
            int entries = 0;
            try (Stream<Path> tree = Files.walk(tmpDir)) {
                for (Path p : (Iterable<Path>) tree::iterator) {
                    if (!p.equals(tmpDir)) {
                        entries++;
                        bytes += Files.isRegularFile(p) ? Files.size(p) : 0;
                    }
                }
            }
            return new ProcessFigures(rss, threads, fds, bytes, entries);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read /proc figures of " + pid, e);
        }
    }

    @Override
    public String toString() {
        return String.format(
                "RSS %.1f MB, %d threads, %d open fds, temp dir %d bytes in %d entries",
                rssKb / 1024.0, threads, openFds, tmpBytes, tmpEntries);
    }
}
