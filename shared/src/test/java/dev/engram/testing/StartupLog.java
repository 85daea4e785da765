package dev.engram.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** Reads a function process's log: the lines it wrote at WARN or ERROR. */
public final class StartupLog {
    /** Quarkus's console format: {@code 2026-12-04 10:44:07,023 WARN  [category] (thread) message}. */
    private static final Pattern PROBLEM =
            Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} (WARN|ERROR) .*");

    private StartupLog() {}

    /** The log's WARN and ERROR lines. */
    public static List<String> problems(Path log) {
        return problems(lines(log));
    }

    /** The WARN and ERROR lines among these log lines. */
    public static List<String> problems(List<String> lines) {
        return lines.stream().filter(line -> PROBLEM.matcher(line).matches()).toList();
    }

    public static List<String> lines(Path log) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
