package dev.engram.batch;

import dev.engram.errors.InvalidRequestException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a job may read and write. With {@code engram.batch.input-root} / {@code output-root} set, paths
 * are taken relative to the root and may not leave it (a caller must not make the function read or
 * overwrite arbitrary files); without, any path the process can reach is accepted.
 */
final class BatchPaths {
    static final String RESULTS_SUFFIX = ".results.jsonl";
    static final String SUMMARY_SUFFIX = ".summary.json";

    private BatchPaths() {}

    /** {@code x.results.jsonl} → {@code x.results.summary.json}. */
    static Path summary(Path output) {
        String name = output.getFileName().toString();
        return output.resolveSibling((name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name) + SUMMARY_SUFFIX);
    }

    static boolean isUrl(String input) {
        return input.startsWith("http://") || input.startsWith("https://");
    }

    /** An input file (a path or a file: URL), checked to exist. */
    static Path inputFile(String input, Optional<String> root) {
        Path path;
        if (input.startsWith("file:")) {
            try {
                path = Path.of(URI.create(input));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("invalid_input", "'input' is not a usable file URL: " + input);
            }
        } else {
            path = resolve(input, root, "input");
        }
        path = within(path, root, "input");
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new InvalidRequestException("input_not_found", "No readable input file at " + input);
        }
        return path;
    }

    static Path output(String output, Optional<String> root) {
        Path path = within(resolve(output, root, "output"), root, "output");
        if (Files.isDirectory(path)) {
            throw new InvalidRequestException("invalid_output", "'output' names a directory: " + output);
        }
        return path;
    }

    /** The object a storage event names, under the input root. */
    static Path storageObject(String bucket, String name, Optional<String> root) {
        if (root.isEmpty()) {
            throw new InvalidRequestException("storage_not_configured",
                    "Storage events need engram.batch.input-root (the directory that holds <bucket>/<name>)");
        }
        if (bucket == null || bucket.isBlank() || name == null || name.isBlank()) {
            throw new InvalidRequestException("missing_field", "A storage event needs 'bucket' and 'name'");
        }
        if (name.endsWith(RESULTS_SUFFIX) || name.endsWith(SUMMARY_SUFFIX)) {
            // a job's own output landing in a watched bucket must not start another job
            throw new InvalidRequestException("not_batch_input", "'" + name + "' is a batch output, not an input");
        }
        return resolve(bucket + "/" + name, root, "name");
    }

    private static Path resolve(String given, Optional<String> root, String field) {
        try {
            Path path = Path.of(given);
            return (root.isPresent() && !path.isAbsolute() ? Path.of(root.get()).resolve(path) : path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidRequestException("invalid_" + field, "'" + field + "' is not a usable path: " + e.getMessage());
        }
    }

    private static Path within(Path path, Optional<String> root, String field) {
        Path normal = path.toAbsolutePath().normalize();
        if (root.isPresent() && !normal.startsWith(Path.of(root.get()).toAbsolutePath().normalize())) {
            throw new InvalidRequestException("path_not_allowed", "'" + field + "' must be inside " + root.get());
        }
        return normal;
    }
}
