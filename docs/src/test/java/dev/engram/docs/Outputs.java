package dev.engram.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares what an example printed with what its output block shows. JSON is compared as JSON: the same
 * fields, the same strings and whole numbers, fractions within a small tolerance (last digits differ
 * between CPUs), and for the fields that change from run to run (ids, times, timings) the same JSON type.
 * Server-sent events are compared event by event, a {@code curl -i} status line and the headers shown
 * one by one, anything else as text.
 */
final class Outputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> vary;
    private final Set<String> unordered;
    private final List<String> problems = new ArrayList<>();

    private Outputs(Set<String> vary, Set<String> unordered) {
        this.vary = vary;
        this.unordered = unordered;
    }

    /** Every difference, empty when the block shows what was printed. */
    static List<String> differences(String block, List<Printed> printed, Set<String> vary, Set<String> unordered) {
        Outputs outputs = new Outputs(vary, unordered);
        List<String> expected = split(block, printed);
        if (expected.size() != printed.size()) {
            outputs.problems.add(
                    "the block shows " + expected.size() + " outputs, the commands printed " + printed.size());
        } else {
            for (int i = 0; i < printed.size(); i++) {
                outputs.one(expected.get(i), printed.get(i), printed.size() > 1 ? "output " + (i + 1) + ": " : "");
            }
        }
        return outputs.problems;
    }

    /** One output per printing command: split at status lines (curl -i), else one JSON value each. */
    private static List<String> split(String block, List<Printed> printed) {
        if (printed.size() == 1) {
            return List.of(block);
        }
        List<String> parts = new ArrayList<>();
        if (printed.getFirst().http()) {
            StringBuilder part = null;
            for (String line : block.lines().toList()) {
                if (line.startsWith("HTTP/")) {
                    if (part != null) {
                        parts.add(part.toString());
                    }
                    part = new StringBuilder();
                }
                if (part != null) {
                    part.append(line).append('\n');
                }
            }
            if (part != null) {
                parts.add(part.toString());
            }
            return parts;
        }
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(block)) {
            values.forEachRemaining(value -> parts.add(value.toString()));
        } catch (IOException e) {
            return List.of(block);
        }
        return parts;
    }

    private void one(String expected, Printed actual, String prefix) {
        String body = expected;
        if (actual.http()) {
            List<String> lines = expected.strip().lines().toList();
            String status = lines.getFirst().split(" ")[1];
            if (!status.equals(Integer.toString(actual.status()))) {
                problems.add(prefix + "status " + actual.status() + ", the block shows " + status);
            }
            int blank = 1;
            for (; blank < lines.size() && !lines.get(blank).isBlank(); blank++) {
                String header = lines.get(blank);
                String name = header.substring(0, header.indexOf(':')).strip().toLowerCase();
                String value = header.substring(header.indexOf(':') + 1).strip();
                String got = actual.headers().get(name);
                if (got == null) {
                    problems.add(prefix + "no header '" + name + "'");
                } else if (!vary.contains(name) && !got.equals(value)) {
                    problems.add(prefix + "header '" + name + "' is '" + got + "', the block shows '" + value + "'");
                }
            }
            body = String.join("\n", lines.subList(Math.min(blank + 1, lines.size()), lines.size()));
        }
        body(body.strip(), actual.body().strip(), prefix);
    }

    private void body(String expected, String actual, String prefix) {
        if (expected.startsWith("data:")) {
            events(expected, actual, prefix);
            return;
        }
        List<JsonNode> want = values(expected);
        if (want == null) {
            if (!expected.equals(actual)) {
                problems.add(prefix + "printed\n" + actual + "\nthe block shows\n" + expected);
            }
            return;
        }
        List<JsonNode> got = values(actual);
        if (got == null) {
            problems.add(prefix + "printed no JSON:\n" + actual);
        } else if (got.size() != want.size()) {
            problems.add(prefix + "printed " + got.size() + " JSON values, the block shows " + want.size());
        } else {
            for (int i = 0; i < want.size(); i++) {
                match(want.get(i), got.get(i), prefix + (want.size() > 1 ? "line " + (i + 1) + " " : "") + "$");
            }
        }
    }

    /** Server-sent events: the same number of {@code data:} events, each the same JSON (or the same text). */
    private void events(String expected, String actual, String prefix) {
        List<String> want = expected.lines()
                .filter(l -> l.startsWith("data:"))
                .map(l -> l.substring(5).strip())
                .toList();
        List<String> got = actual.lines()
                .filter(l -> l.startsWith("data:"))
                .map(l -> l.substring(5).strip())
                .toList();
        if (want.size() != got.size()) {
            problems.add(prefix + got.size() + " events, the block shows " + want.size() + ":\n" + actual);
            return;
        }
        for (int i = 0; i < want.size(); i++) {
            body(want.get(i), got.get(i), prefix + "event " + (i + 1) + " ");
        }
    }

    private void match(JsonNode want, JsonNode got, String path) {
        if (want.getNodeType() != got.getNodeType()) {
            problems.add(path + " is " + got + ", the block shows " + want);
        } else if (want.isObject()) {
            // a field that varies may also come and go (a running job's etaSeconds)
            Set<String> wantNames = names(want);
            Set<String> gotNames = names(got);
            wantNames.removeAll(vary);
            gotNames.removeAll(vary);
            if (!wantNames.equals(gotNames)) {
                problems.add(path + " has the fields " + gotNames + ", the block shows " + wantNames + " (besides "
                        + vary + ")");
                return;
            }
            for (String name : wantNames) {
                if (unordered.contains(name)
                        && want.get(name).isArray()
                        && got.get(name).isArray()) {
                    matchAnyOrder(want.get(name), got.get(name), path + "." + name);
                } else {
                    match(want.get(name), got.get(name), path + "." + name);
                }
            }
            for (String name : vary) {
                if (want.has(name)
                        && got.has(name)
                        && want.get(name).getNodeType() != got.get(name).getNodeType()) {
                    problems.add(path + "." + name + " is " + got.get(name) + ", the block shows " + want.get(name));
                }
            }
        } else if (want.isArray()) {
            if (want.size() != got.size()) {
                problems.add(path + " has " + got.size() + " elements, the block shows " + want.size() + ": " + got);
                return;
            }
            for (int i = 0; i < want.size(); i++) {
                match(want.get(i), got.get(i), path + "[" + i + "]");
            }
        } else if (want.isNumber() && !(want.isIntegralNumber() && got.isIntegralNumber())) {
            double w = want.asDouble();
            double g = got.asDouble();
            if (Math.abs(w - g) > 1e-3 + 0.02 * Math.abs(w)) {
                problems.add(path + " is " + got + ", the block shows " + want);
            }
        } else if (!want.equals(got)) {
            problems.add(path + " is " + got + ", the block shows " + want);
        }
    }

    /** Each shown element matches a different printed one, in whatever order they came. */
    private void matchAnyOrder(JsonNode want, JsonNode got, String path) {
        if (want.size() != got.size()) {
            problems.add(path + " has " + got.size() + " elements, the block shows " + want.size() + ": " + got);
            return;
        }
        List<JsonNode> left = new ArrayList<>();
        got.forEach(left::add);
        for (JsonNode element : want) {
            JsonNode partner = left.stream()
                    .filter(candidate -> {
                        Outputs alone = new Outputs(vary, unordered);
                        alone.match(element, candidate, path);
                        return alone.problems.isEmpty();
                    })
                    .findFirst()
                    .orElse(null);
            if (partner == null) {
                problems.add(path + " has no element like " + element + ": " + got);
                return;
            }
            left.remove(partner);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    /** The JSON values the text holds, or null when it is not JSON. */
    private static List<JsonNode> values(String text) {
        if (!text.startsWith("{") && !text.startsWith("[")) {
            return null;
        }
        List<JsonNode> values = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(text)) {
            it.forEachRemaining(values::add);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
        return values;
    }
}
