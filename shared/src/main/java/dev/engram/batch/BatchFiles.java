package dev.engram.batch;

import dev.engram.errors.InvalidRequestException;
import dev.engram.errors.UnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The files a tenant's jobs may read and write: only below {@code <root>/<tenant>/}, where the root is
 * {@code engram.batch.input-root} or {@code output-root}. Without the root the files are refused: a
 * caller must not make the function read or overwrite what the process can reach. A path is taken
 * relative to the tenant's directory (an absolute path or {@code file:} URL only when it lies inside),
 * resolved with its symbolic links followed and checked to stay inside, and it must name a regular file:
 * no FIFO, device, socket or directory, and nothing on a kernel pseudo file system ({@code /proc},
 * {@code /sys}). Files are opened without blocking ({@link NativeOpen}) and checked again once open.
 * Messages name the path as the caller gave it, never where it leads.
 */
final class BatchFiles {
    private static final Logger LOG = Logger.getLogger(BatchFiles.class);
    static final String RESULTS_SUFFIX = ".results.jsonl";
    static final String SUMMARY_SUFFIX = ".summary.json";
    static final int MAX_PATH_CHARS = 1024;
    static final int MAX_NAME_BYTES = 255;
    static final int MAX_DEPTH = 32;
    /** File systems whose "regular files" are kernel state, not data. */
    private static final Set<String> PSEUDO = Set.of(
            "proc",
            "sysfs",
            "debugfs",
            "tracefs",
            "securityfs",
            "configfs",
            "cgroup",
            "cgroup2",
            "efivarfs",
            "bpf",
            "devpts",
            "devtmpfs",
            "pstore",
            "fusectl",
            "hugetlbfs",
            "mqueue");

    /** A file of a tenant: where it is (symbolic links resolved) and how the tenant names it (relative to its directory). */
    record Place(Path path, String name) {}

    private BatchFiles() {}

    /** An input file, which must exist. */
    static Place input(String given, Optional<String> root, String tenant) {
        Path dir = inputDir(root, tenant);
        Path path = inside(dir, parse(given, "input"), given, "input", root.get(), tenant);
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException e) {
            throw new InvalidRequestException("input_not_found", "No readable input file at " + given);
        }
        if (!real.startsWith(dir)) {
            throw new InvalidRequestException(
                    "path_not_allowed", "'input' must stay inside your batch directory: " + given);
        }
        requireRegular(real, given, "input");
        return new Place(real, dir.relativize(path).toString());
    }

    /** An output file: it may not exist yet (nor its directories), but what exists of it must be inside and regular. */
    static Place output(String given, Optional<String> root, String tenant) {
        Path dir = outputDir(root, tenant);
        if (isUrl(given)) {
            throw new InvalidRequestException("invalid_output", "'output' is a file of yours, not a URL: " + given);
        }
        Path path = inside(dir, parse(given, "output"), given, "output", root.get(), tenant);
        if (path.equals(dir) || Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidRequestException("invalid_output", "'output' names a directory: " + given);
        }
        for (Path file : new Path[] {path, summary(path)}) {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                requireRegular(file, given, "output");
            }
        }
        Path existing = path.getParent();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (!existing.toRealPath().startsWith(dir)) {
                throw new InvalidRequestException(
                        "path_not_allowed", "'output' must stay inside your batch directory: " + given);
            }
        } catch (IOException e) {
            throw new InvalidRequestException("invalid_output", "'output' cannot be written: " + given);
        }
        return new Place(path, dir.relativize(path).toString());
    }

    /** The tenant's input directory; without an input root no file may be read. */
    static Path inputDir(Optional<String> root, String tenant) {
        if (root.isEmpty()) {
            throw new InvalidRequestException(
                    "file_input_disabled",
                    "Batch jobs may not read files here: an operator enables file inputs with engram.batch.input-root");
        }
        return tenantDir(root.get(), tenant, "input");
    }

    /** The tenant's output directory; without an output root no job can write its results. */
    static Path outputDir(Optional<String> root, String tenant) {
        if (root.isEmpty()) {
            throw new InvalidRequestException(
                    "output_not_configured",
                    "Batch jobs have nowhere to write their results here: an operator sets engram.batch.output-root");
        }
        return tenantDir(root.get(), tenant, "output");
    }

    /** The object a storage event names: {@code <input-root>/<tenant>/<bucket>/<name>}. */
    static Place storageObject(String bucket, String name, Optional<String> root, String tenant) {
        if (root.isEmpty()) {
            throw new InvalidRequestException(
                    "storage_not_configured",
                    "Storage events need engram.batch.input-root (the directory that holds <tenant>/<bucket>/<name>)");
        }
        if (bucket == null || bucket.isBlank() || name == null || name.isBlank()) {
            throw new InvalidRequestException("missing_field", "A storage event needs 'bucket' and 'name'");
        }
        if (name.endsWith(RESULTS_SUFFIX) || name.endsWith(SUMMARY_SUFFIX)) {
            // a job's own output landing in a watched bucket must not start another job
            throw new InvalidRequestException("not_batch_input", "'" + name + "' is a batch output, not an input");
        }
        return input(bucket + "/" + name, root, tenant);
    }

    /** {@code x.results.jsonl} → {@code x.results.summary.json}. */
    static Path summary(Path output) {
        String name = output.getFileName().toString();
        return output.resolveSibling(
                (name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name) + SUMMARY_SUFFIX);
    }

    /** Opens a checked input file for reading; it must still be a regular file inside {@code dir}. */
    static InputStream read(Path file, Path dir) throws IOException {
        requireRegularNow(file);
        if (!NativeOpen.available()) {
            return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        }
        try (NativeOpen.Descriptor fd = NativeOpen.open(file, false)) {
            requireOpened(fd, dir);
            return Files.newInputStream(fd.path());
        }
    }

    /** Opens a checked output file for writing (created when absent); it must still be a regular file inside {@code dir}. */
    static FileChannel write(Path file, Path dir) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            requireRegularNow(file);
        }
        if (!NativeOpen.available()) {
            return FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        }
        try (NativeOpen.Descriptor fd = NativeOpen.open(file, true)) {
            requireOpened(fd, dir);
            return FileChannel.open(fd.path(), StandardOpenOption.WRITE);
        }
    }

    /** An http(s) URL, or any other {@code scheme://} but {@code file:}: not a path, whatever else it is. */
    static boolean isUrl(String input) {
        return input.matches("(?s)[A-Za-z][A-Za-z0-9+.-]*://.*") && !input.regionMatches(true, 0, "file:", 0, 5);
    }

    /**
     * Where the tenant's files are: {@code <root>/<tenant>} with symbolic links resolved (the output one
     * created when absent). A root that is not there (a volume not mounted yet) is a 503: the request was fine.
     */
    private static Path tenantDir(String root, String tenant, String field) {
        try {
            Path dir = Path.of(root).toRealPath().resolve(tenant);
            if (field.equals("output")) {
                Files.createDirectories(dir);
            }
            return Files.exists(dir) ? dir.toRealPath() : dir;
        } catch (IOException | InvalidPathException e) {
            LOG.errorf("engram.batch.%s-root is not a usable directory: %s (%s)", field, root, e.toString());
            throw new UnavailableException(
                    "batch_storage_unavailable",
                    "The batch " + field + " directory is not available",
                    Duration.ofSeconds(30),
                    e);
        }
    }

    /** The given path or file: URL, bounded: at most 1024 characters, 32 names of 255 bytes, no control characters. */
    private static Path parse(String given, String field) {
        if (given.isEmpty() || given.length() > MAX_PATH_CHARS || given.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidRequestException(
                    "invalid_" + field,
                    "'" + field + "' must be 1 to " + MAX_PATH_CHARS + " characters without control characters");
        }
        try {
            Path path = given.startsWith("file:") ? Path.of(URI.create(given)) : Path.of(given);
            if (path.getNameCount() > MAX_DEPTH) {
                throw new InvalidRequestException(
                        "invalid_" + field, "'" + field + "' is more than " + MAX_DEPTH + " directories deep");
            }
            for (Path name : path) {
                if (name.toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                    throw new InvalidRequestException(
                            "invalid_" + field, "'" + field + "' has a name longer than " + MAX_NAME_BYTES + " bytes");
                }
            }
            return path;
        } catch (IllegalArgumentException e) { // InvalidPathException, or a URI that is no file URL
            throw new InvalidRequestException(
                    "invalid_" + field, "'" + field + "' is not a usable path or file: URL: " + given);
        }
    }

    /**
     * The path below {@code dir}, lexically (before links are followed): relative paths are taken from
     * {@code dir}; an absolute one may also start with the root as configured (before its links were resolved).
     */
    private static Path inside(Path dir, Path path, String given, String field, String root, String tenant) {
        Path configured = Path.of(root).toAbsolutePath().normalize().resolve(tenant);
        Path normal = path.isAbsolute() ? path.normalize() : path;
        Path resolved = normal.isAbsolute() && normal.startsWith(configured)
                ? dir.resolve(configured.relativize(normal))
                : dir.resolve(normal).normalize();
        if (!resolved.startsWith(dir) || resolved.equals(dir) && field.equals("input")) {
            throw new InvalidRequestException(
                    "path_not_allowed", "'" + field + "' must be a file inside your batch directory: " + given);
        }
        return resolved;
    }

    private static void requireRegular(Path file, String given, String field) {
        try {
            requireRegularNow(file);
        } catch (IOException e) {
            throw new InvalidRequestException(
                    field + "_not_regular", "'" + field + "' must be a regular file: " + given);
        }
    }

    /** A regular file itself (not through a link) and not on a pseudo file system. */
    private static void requireRegularNow(Path file) throws IOException {
        BasicFileAttributes attributes =
                Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()
                || PSEUDO.contains(Files.getFileStore(file).type())) {
            throw new FileSystemException(file.getFileName().toString(), null, "not a regular file");
        }
    }

    /** What was opened is a regular file inside {@code dir}, whatever became of the path between the check and the open. */
    private static void requireOpened(NativeOpen.Descriptor fd, Path dir) throws IOException {
        Path opened = Files.readSymbolicLink(fd.path());
        BasicFileAttributes attributes = Files.readAttributes(fd.path(), BasicFileAttributes.class);
        if (!opened.startsWith(dir)
                || !attributes.isRegularFile()
                || PSEUDO.contains(Files.getFileStore(fd.path()).type())) {
            throw new FileSystemException(
                    opened.getFileName() == null ? "?" : opened.getFileName().toString(),
                    null,
                    "not a regular file inside the batch directory");
        }
    }

    /** An I/O failure in words that name no server path. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fs) {
            return fs.getReason() != null
                    ? fs.getReason()
                    : fs.getClass().getSimpleName().replace("Exception", "");
        }
        return String.valueOf(e.getMessage());
    }
}
