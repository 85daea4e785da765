package dev.engram.docs;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One checked example of the docs: the commands of a fenced {@code bash} block under an
 * {@code <!-- example ... -->} marker, and the fenced block after it that shows their output.
 *
 * @param file the Markdown file
 * @param line the marker's line (1-based), for messages
 * @param attributes the marker's {@code key=value} words
 * @param commands what the bash block runs
 * @param output the output block, or null when the commands print nothing (they only write a file)
 */
record Example(Path file, int line, Map<String, String> attributes, List<Command> commands, Block output) {

    /** Fields whose values differ from run to run: only their JSON type is compared. */
    static final Set<String> ALWAYS_VARY = Set.of(
            "timings",
            "id",
            "created",
            "createdAt",
            "timestamp",
            "ttlSeconds",
            "submittedAt",
            "startedAt",
            "finishedAt",
            "linesPerSecond",
            "etaSeconds",
            "runners",
            "date");

    /** A fenced block's content: lines [from, to) of the file, 0-based. */
    record Block(int from, int to, String text) {}

    String where() {
        return file.getFileName() + ":" + line;
    }

    Set<String> vary() {
        Set<String> all = new HashSet<>(ALWAYS_VARY);
        all.addAll(list("vary"));
        return all;
    }

    /** Arrays whose elements may come in any order (health checks). */
    Set<String> unordered() {
        return list("unordered");
    }

    private Set<String> list(String attribute) {
        Set<String> names = new HashSet<>();
        for (String name : attributes.getOrDefault(attribute, "").split(",")) {
            if (!name.isBlank()) {
                names.add(name.strip());
            }
        }
        return names;
    }
}
