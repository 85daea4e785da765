package dev.engram.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.engram.errors.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real files, links and FIFOs: a tenant's jobs read and write only regular files below {@code <root>/<tenant>/}. */
class BatchFilesTest {
    Path root;
    Path mine;
    Optional<String> rootSetting;

    @BeforeEach
    void files() throws IOException {
        root = Files.createTempDirectory(Path.of("target"), "batch-files-").toAbsolutePath();
        mine = Files.createDirectories(root.resolve("acme"));
        Files.createDirectories(root.resolve("globex"));
        Files.writeString(mine.resolve("in.jsonl"), "{}\n");
        Files.writeString(root.resolve("globex").resolve("theirs.jsonl"), "{}\n");
        rootSetting = Optional.of(root.toString());
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void withoutARootNoFileIsReadOrWritten() {
        assertCode(
                () -> BatchFiles.input(mine.resolve("in.jsonl").toString(), Optional.empty(), "acme"),
                "file_input_disabled");
        assertCode(() -> BatchFiles.input("/etc/passwd", Optional.empty(), "acme"), "file_input_disabled");
        assertCode(() -> BatchFiles.output("out.jsonl", Optional.empty(), "acme"), "output_not_configured");
        assertCode(() -> BatchFiles.storageObject("b", "x.jsonl", Optional.empty(), "acme"), "storage_not_configured");
    }

    @Test
    void pathsAreTheTenantsOwnRelativeOrAbsoluteInsideItsDirectory() {
        BatchFiles.Place relative = BatchFiles.input("in.jsonl", rootSetting, "acme");
        assertThat(relative.path()).isEqualTo(mine.resolve("in.jsonl"));
        assertThat(relative.name()).isEqualTo("in.jsonl");
        assertThat(BatchFiles.input(mine.resolve("in.jsonl").toString(), rootSetting, "acme")
                        .name())
                .isEqualTo("in.jsonl");
        assertThat(BatchFiles.input(mine.resolve("in.jsonl").toUri().toString(), rootSetting, "acme")
                        .name())
                .isEqualTo("in.jsonl");
        assertThat(BatchFiles.output("sub/dir/out.jsonl", rootSetting, "acme").path())
                .isEqualTo(mine.resolve("sub/dir/out.jsonl"));
        for (String outside : new String[] {
            "/etc/passwd",
            "../globex/theirs.jsonl",
            root.resolve("globex/theirs.jsonl").toString(),
            "file:///etc/passwd",
            "a/../../globex/theirs.jsonl",
            "/proc/self/environ",
            "/dev/zero"
        }) {
            assertCode(() -> BatchFiles.input(outside, rootSetting, "acme"), "path_not_allowed");
        }
        assertCode(() -> BatchFiles.output("../globex/theirs.jsonl", rootSetting, "acme"), "path_not_allowed");
        assertCode(() -> BatchFiles.output("/tmp/anything.jsonl", rootSetting, "acme"), "path_not_allowed");
        assertCode(() -> BatchFiles.input("missing.jsonl", rootSetting, "acme"), "input_not_found");
        assertCode(
                () -> BatchFiles.input("in.jsonl", rootSetting, "initech"),
                "input_not_found"); // a tenant without a directory
    }

    @Test
    void linksAreFollowedAndMustStayInside() throws IOException {
        Files.createSymbolicLink(mine.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(mine.resolve("environ"), Path.of("/proc/self/environ"));
        Files.createSymbolicLink(mine.resolve("theirs.jsonl"), root.resolve("globex/theirs.jsonl"));
        Files.createSymbolicLink(mine.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(mine.resolve("alias.jsonl"), mine.resolve("in.jsonl"));
        for (String link : new String[] {"passwd", "environ", "theirs.jsonl", "etc/passwd"}) {
            assertCode(() -> BatchFiles.input(link, rootSetting, "acme"), "path_not_allowed");
        }
        assertCode(() -> BatchFiles.output("etc/engram.jsonl", rootSetting, "acme"), "path_not_allowed");
        assertCode(
                () -> BatchFiles.output("theirs.jsonl", rootSetting, "acme"),
                "output_not_regular"); // a link is no regular file
        assertThat(BatchFiles.input("alias.jsonl", rootSetting, "acme").path()).isEqualTo(mine.resolve("in.jsonl"));
    }

    @Test
    void onlyRegularFilesNeverAFifoOrADirectory() throws Exception {
        Path fifo = fifo(mine.resolve("pipe.jsonl"));
        Files.createDirectories(mine.resolve("folder"));
        assertCode(() -> BatchFiles.input("pipe.jsonl", rootSetting, "acme"), "input_not_regular");
        assertCode(() -> BatchFiles.input("folder", rootSetting, "acme"), "input_not_regular");
        assertCode(() -> BatchFiles.output("pipe.jsonl", rootSetting, "acme"), "output_not_regular");
        assertCode(() -> BatchFiles.output("folder", rootSetting, "acme"), "invalid_output");
        assertCode(() -> BatchFiles.output(".", rootSetting, "acme"), "invalid_output");
        // a FIFO where the summary goes is refused too
        fifo(mine.resolve("out.results.summary.json"));
        assertCode(() -> BatchFiles.output("out.results.jsonl", rootSetting, "acme"), "output_not_regular");
        // checked files whose path became a FIFO afterwards: refused at the open, which does not wait for a writer
        assertThatThrownBy(() -> BatchFiles.read(fifo, mine)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> BatchFiles.write(fifo, mine)).isInstanceOf(IOException.class);
    }

    @Test
    void theOpenItselfNeverBlocksOnAFifo() throws Exception {
        assertThat(NativeOpen.available())
                .as("Linux: open(2) with O_NONBLOCK through FFM")
                .isTrue();
        Path fifo = fifo(mine.resolve("swapped.jsonl"));
        // what read()/write() do after their check, had the path become a FIFO in between
        CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> openedType(fifo, false));
        CompletableFuture<String> writing = CompletableFuture.supplyAsync(() -> openedType(fifo, true));
        try {
            assertThat(reading.get(10, TimeUnit.SECONDS)).isEqualTo("not regular");
            assertThat(writing.get(10, TimeUnit.SECONDS)).isEqualTo("no reader on the other end");
        } finally {
            // release a blocked open (the other end appearing) instead of leaving its thread behind
            if (!reading.isDone()) {
                Files.newOutputStream(fifo).close();
            }
            if (!writing.isDone()) {
                Files.newInputStream(fifo).close();
            }
        }
    }

    @Test
    void namesAreBounded() {
        assertCode(() -> BatchFiles.input("a".repeat(256), rootSetting, "acme"), "invalid_input");
        assertCode(() -> BatchFiles.input("a/".repeat(600), rootSetting, "acme"), "invalid_input");
        assertCode(() -> BatchFiles.input("d/".repeat(33) + "x", rootSetting, "acme"), "invalid_input");
        assertCode(() -> BatchFiles.input("in\n.jsonl", rootSetting, "acme"), "invalid_input");
        assertCode(() -> BatchFiles.input("in\u0000.jsonl", rootSetting, "acme"), "invalid_input");
        assertCode(() -> BatchFiles.input("", rootSetting, "acme"), "invalid_input");
        assertCode(() -> BatchFiles.output("o".repeat(300), rootSetting, "acme"), "invalid_output");
        assertCode(() -> BatchFiles.input("file:%zz", rootSetting, "acme"), "invalid_input");
    }

    @Test
    void readingAndWritingGoThroughTheCheckedOpen() throws IOException {
        try (InputStream in = BatchFiles.read(mine.resolve("in.jsonl"), mine)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{}\n");
        }
        Path out = mine.resolve("deep/er/out.jsonl");
        try (FileChannel file = BatchFiles.write(out, mine)) {
            file.write(java.nio.ByteBuffer.wrap("ok\n".getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(Files.readString(out)).isEqualTo("ok\n");
        // a file that is not inside the directory the caller expects is refused once open
        assertThatThrownBy(() -> BatchFiles.read(root.resolve("globex/theirs.jsonl"), mine))
                .isInstanceOf(IOException.class);
    }

    private static String openedType(Path fifo, boolean write) {
        try (NativeOpen.Descriptor fd = NativeOpen.open(fifo, write)) {
            return Files.isRegularFile(fd.path()) ? "regular" : "not regular";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    private static Path fifo(Path path) throws Exception {
        Process mkfifo =
                new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        return path;
    }

    private static void assertCode(Runnable call, String code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code));
    }
}
