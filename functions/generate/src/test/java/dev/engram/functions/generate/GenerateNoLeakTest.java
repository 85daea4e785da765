package dev.engram.functions.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.engram.testing.ModelTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Generations leave nothing behind: 200 of them (greedy and sampled) add no entries to the temp dir,
 * no open files or pipes and no live threads beyond what the first twenty started.
 */
@QuarkusTest
@QuarkusTestResource(ModelTestResource.class)
class GenerateNoLeakTest {

    @Test
    void twoHundredGenerationsLeaveNoFilesDescriptorsOrThreads() throws IOException, InterruptedException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < 20; i++) { // warm: pools, keep-alive connections and lazily opened jars settle
            GenerateSamplingTest.generate("prompt", "Once upon a time", "maxTokens", 16, "temperature", 0.7, "seed", i);
        }
        long tmpEntries = count(tmp);
        Map<String, Long> descriptors = descriptors();
        int threads = Thread.activeCount();
        for (int i = 0; i < 200; i++) {
            GenerateSamplingTest.generate(
                    "prompt", "Once upon a time " + i, "maxTokens", 16, "temperature", 0.7, "seed", i);
        }
        assertThat(count(tmp)).as("entries in %s", tmp).isLessThanOrEqualTo(tmpEntries);
        // a leak per request would add 200; a few idle workers or connections may come and go.
        Map<String, Long> after = descriptors();
        Map<String, String> changed = new TreeMap<>();
        after.forEach((kind, n) -> {
            if (!n.equals(descriptors.getOrDefault(kind, 0L))) {
                changed.put(kind, descriptors.getOrDefault(kind, 0L) + " -> " + n);
            }
        });
        long total = after.values().stream().mapToLong(Long::longValue).sum();
        long before = descriptors.values().stream().mapToLong(Long::longValue).sum();
        assertThat(total)
                .as("open file descriptors other than sockets; changed: %s", changed)
                .isLessThan(before + 20);
        assertThat(Thread.activeCount()).as("live threads").isLessThan(threads + 10);
    }

    /**
     * Open descriptors by kind (pipe, anon_inode:[eventpoll], a file's path), sockets left out: the
     * test's own HTTP client shares the process and closes its connections lazily.
     */
    private static Map<String, Long> descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().replaceAll(":\\[\\d+\\]$", "");
                        } catch (IOException e) {
                            return "closed";
                        }
                    })
                    .filter(kind -> !kind.equals("socket"))
                    .collect(Collectors.groupingBy(kind -> kind, TreeMap::new, Collectors.counting()));
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        }
    }
}
