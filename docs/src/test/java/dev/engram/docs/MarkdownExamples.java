package dev.engram.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the checked examples in Markdown. The convention (docs/development.md):
 *
 * <pre>
 * &lt;!-- example [function=NAME] [vary=field,field] [until=field:value] [redis=killed] --&gt;
 * ```bash
 * curl -s localhost:8080/generate -H 'Content-Type: application/json' -d '{"prompt": "..."}'
 * ```
 * ```json
 * {"text": "...", ...}
 * ```
 * </pre>
 *
 * The bash block right after the marker is run; the fenced block right after it (blank lines between are
 * allowed) is its output, one per printing command.
 */
final class MarkdownExamples {
    private static final Pattern MARKER = Pattern.compile("<!--\\s*example\\b(.*?)-->");

    private MarkdownExamples() {}

    /** README.md and every page under docs/, in that order. */
    static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    static List<Example> read(Path file, Map<String, String> variables) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Example> examples = new ArrayList<>();
        String fence = null; // the backticks of the fenced block the line is in: a marker there is quoted, not live
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("```")) {
                String ticks = line.replaceFirst("[^`].*$", "");
                if (fence == null) {
                    fence = ticks;
                } else if (line.equals(ticks) && ticks.length() >= fence.length()) {
                    fence = null;
                }
                continue;
            }
            Matcher marker = MARKER.matcher(line);
            if (fence != null || !marker.matches()) {
                continue;
            }
            String where = file.getFileName() + ":" + (i + 1);
            Example.Block script = block(lines, i + 1, where);
            if (script == null || !lines.get(script.from() - 1).strip().equals("```bash")) {
                throw new IllegalArgumentException(where + ": an example marker must be followed by a ```bash block");
            }
            List<Command> commands;
            try {
                commands = Shell.parse(script.text(), variables);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            Example.Block output = null;
            if (commands.stream().anyMatch(Command::prints)) {
                output = block(lines, script.to() + 1, where);
                if (output == null) {
                    throw new IllegalArgumentException(
                            where + ": the commands print something, but no fenced block shows it");
                }
            }
            examples.add(new Example(file, i + 1, attributes(marker.group(1)), commands, output));
            i = (output != null ? output.to() : script.to()); // the closing fence of the last block
        }
        return examples;
    }

    /** The fenced block starting at the first non-blank line from {@code start}, or null if none starts there. */
    private static Example.Block block(List<String> lines, int start, String where) {
        int open = start;
        while (open < lines.size() && lines.get(open).isBlank()) {
            open++;
        }
        if (open >= lines.size() || !lines.get(open).strip().startsWith("```")) {
            return null;
        }
        int close = open + 1;
        while (close < lines.size() && !lines.get(close).strip().equals("```")) {
            close++;
        }
        if (close >= lines.size()) {
            throw new IllegalArgumentException(where + ": a fenced block is not closed");
        }
        return new Example.Block(open + 1, close, String.join("\n", lines.subList(open + 1, close)));
    }

    private static Map<String, String> attributes(String words) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String word : words.strip().split("\\s+")) {
            if (!word.isEmpty()) {
                int eq = word.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("example attribute '" + word + "' is not key=value");
                }
                attributes.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return attributes;
    }
}
