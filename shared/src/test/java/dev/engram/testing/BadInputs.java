package dev.engram.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic corpus of bad request bodies built from one valid example body (a JSON object):
 * truncations at every structural position, random byte mutations, each field given a wrong type,
 * huge numbers and strings, control characters, lone surrogates (in every string, however deep),
 * raw invalid UTF-8, deep nesting,
 * duplicate and unknown keys, empty and non-object bodies, wrong Content-Types; and, for fields that
 * name files or URLs, the {@linkplain #hostile hostile} places a caller must never reach through them.
 *
 * <p>Each case says whether it {@linkplain Case#mayBeValid() may be valid}: a mutation the generator
 * cannot prove invalid (a byte changed inside a string, control characters in free text, a null for an
 * optional field). Every other case must be refused with a 4xx. Fields whose content is free text, whose
 * numbers have no range, or that accept more shapes than their example shows are declared up front, so
 * that "must be refused" is decided by construction, never by looking at the answer.
 */
public final class BadInputs {
    /** Beyond every documented text limit (200,000 characters is the largest). */
    public static final int HUGE_STRING_CHARS = 250_000;

    public static final int DEEP_NESTING = 10_000;
    public static final int MIN_CASES = 100;
    /**
     * Values for a field that names a file: system files, kernel and device files, escapes from the
     * caller's directory, another tenant's files, file: URLs, unbounded names, control characters.
     */
    public static final List<String> HOSTILE_PATHS = List.of(
            "/etc/passwd",
            "/etc/shadow",
            "/proc/self/environ",
            "/proc/self/mem",
            "/proc/1/cmdline",
            "/sys/kernel/notes",
            "/dev/zero",
            "/dev/stdin",
            "/dev/full",
            "/dev/null",
            "/dev/tty",
            "/",
            "/tmp",
            ".",
            "..",
            "../../../../../../etc/passwd",
            "a/../../../etc/passwd",
            "../other-tenant/results.jsonl",
            "file:///etc/passwd",
            "file:/proc/self/environ",
            "file://localhost/etc/passwd",
            "file:%zz",
            "a/".repeat(600) + "x",
            "x".repeat(300),
            "d/".repeat(40) + "x",
            "in\u0000.jsonl",
            "in\n.jsonl",
            "\u001b[31m.jsonl");
    /** Values for a field that may name a URL: loopback, private, link-local and metadata addresses in many spellings, other schemes. */
    public static final List<String> HOSTILE_URLS = List.of(
            "http://127.0.0.1/",
            "http://localhost:8080/x.jsonl",
            "http://[::1]/",
            "http://0.0.0.0/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/latest/meta-data/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://10.0.0.1/x.jsonl",
            "http://192.168.1.1/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://127.1/",
            "http://[::ffff:127.0.0.1]/",
            "http://user@127.0.0.1/",
            "gopher://127.0.0.1:6379/_PING",
            "dict://127.0.0.1:6379/info",
            "ftp://127.0.0.1/x",
            "ldap://127.0.0.1/",
            "https://example.com/x.jsonl",
            "HTTP://127.0.0.1/",
            "http:/127.0.0.1/",
            "http://" + "a".repeat(3000) + "/",
            "jar:file:///etc/passwd!/x");

    public record Case(String name, byte[] body, String contentType, boolean mayBeValid) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private final ObjectNode example;
    private final String exampleText;
    private final Set<String> freeText = new java.util.HashSet<>();
    private final Set<String> lenient = new java.util.HashSet<>();
    private final Map<String, List<String>> hostile = new LinkedHashMap<>();
    private long seed = 20261129L;

    private BadInputs(String exampleJson) {
        try {
            this.example = (ObjectNode) JSON.readTree(exampleJson);
            this.exampleText = JSON.writeValueAsString(example);
        } catch (Exception e) {
            throw new IllegalArgumentException("The example must be a JSON object: " + exampleJson, e);
        }
    }

    /** The corpus for a function whose valid request is {@code exampleJson}. */
    public static BadInputs from(String exampleJson) {
        return new BadInputs(exampleJson);
    }

    /** Fields that hold any text: control characters in them may be accepted (a lone surrogate never is). */
    public BadInputs freeText(String... fields) {
        freeText.addAll(List.of(fields));
        return this;
    }

    /** Fields that accept more than their example suggests (no range, a string for a list, ignored): their cases may be valid. */
    public BadInputs lenient(String... fields) {
        lenient.addAll(List.of(fields));
        return this;
    }

    /** Each of {@code values} in turn as {@code field} (e.g. {@link #HOSTILE_PATHS}): never valid. */
    public BadInputs hostile(String field, List<String> values) {
        hostile.computeIfAbsent(field, f -> new java.util.ArrayList<>()).addAll(values);
        return this;
    }

    public BadInputs seed(long seed) {
        this.seed = seed;
        return this;
    }

    public List<Case> cases() {
        Map<String, Case> cases = new LinkedHashMap<>(); // by name: no duplicates
        truncations(cases);
        for (Map.Entry<String, JsonNode> field : example.properties()) {
            fieldCases(cases, field.getKey(), field.getValue());
        }
        nestedText(cases, example, "");
        hostile.forEach((field, values) -> values.forEach(value -> add(
                cases,
                field + " is " + shorten(value),
                replaced(field, JSON.valueToTree(value).toString()),
                false)));
        whole(cases);
        Random random = new Random(seed);
        int mutations = Math.max(30, MIN_CASES + 10 - cases.size());
        for (int i = 0; i < mutations; i++) {
            mutate(cases, random, i);
        }
        return List.copyOf(cases.values());
    }

    private void truncations(Map<String, Case> cases) {
        byte[] bytes = exampleText.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if ("{}[]:,\"".indexOf(bytes[i]) >= 0) {
                // a strict prefix of an object is never a complete JSON value
                add(cases, "truncated before byte " + i, java.util.Arrays.copyOf(bytes, i), false);
                add(cases, "truncated after byte " + i, java.util.Arrays.copyOf(bytes, i + 1), false);
            }
        }
        cases.remove("truncated after byte " + (bytes.length - 1)); // that is the whole example
    }

    private void fieldCases(Map<String, Case> cases, String name, JsonNode value) {
        boolean loose = lenient.contains(name);
        Map<String, String> wrongTypes = new LinkedHashMap<>();
        if (!value.isNumber()) {
            wrongTypes.put("a number", "7");
        }
        if (!value.isTextual()) {
            wrongTypes.put("a string", "\"x\"");
        }
        if (!value.isArray()) {
            wrongTypes.put("an array", "[1]");
        }
        if (!value.isObject()) {
            wrongTypes.put("an object", "{\"a\":1}");
        }
        if (!value.isBoolean()) {
            wrongTypes.put("a boolean", "true");
        }
        if (value.isIntegralNumber()) {
            wrongTypes.put("a fraction", "7.5");
        }
        if (value.isArray() && !value.isEmpty() && value.get(0).isTextual()) {
            wrongTypes.put("a list of numbers", "[7]");
            wrongTypes.put("a list of nulls", "[null]");
        }
        wrongTypes.forEach((what, json) -> add(cases, name + " is " + what, replaced(name, json), loose));
        add(cases, name + " is null", replaced(name, "null"), true); // null = absent, fine for optional fields

        if (value.isNumber()) {
            add(cases, name + " is 1e400", replaced(name, "1e400"), loose);
            add(cases, name + " is -1e400", replaced(name, "-1e400"), loose);
            add(cases, name + " is -1", replaced(name, "-1"), loose);
            add(cases, name + " is Long.MAX_VALUE", replaced(name, Long.toString(Long.MAX_VALUE)), loose);
            add(cases, name + " is beyond long", replaced(name, "92233720368547758070"), loose);
            add(cases, name + " is NaN", replaced(name, "NaN"), false); // not JSON
        }
        if (value.isTextual()) {
            add(cases, name + " is huge", replaced(name, "\"" + "a".repeat(HUGE_STRING_CHARS) + "\""), loose);
            boolean anyText = loose || freeText.contains(name);
            add(
                    cases,
                    name + " has escaped control characters",
                    replaced(name, "\"a\\u0000b\\u0007c\\u001f\""),
                    anyText);
            // not text at all, whatever the field holds: no UTF-8 encoder can write half a surrogate pair
            add(cases, name + " is a lone high surrogate", replaced(name, "\"a\\ud800b\""), false);
            add(cases, name + " is a lone low surrogate", replaced(name, "\"\\udc00\""), false);
            // raw bytes, not Java strings: a Java String cannot carry them
            add(cases, name + " has a raw control byte", replacedBytes(name, "a", new byte[] {0x01}, "b"), false);
            add(cases, name + " has a raw newline", replacedBytes(name, "a", new byte[] {'\n'}, "b"), false);
            for (String bad : List.of("ff", "c328", "e28228", "c0af", "eda080", "f4908080", "80")) {
                add(
                        cases,
                        name + " has invalid UTF-8 " + bad,
                        replacedBytes(name, "a", HexFormat.of().parseHex(bad), "b"),
                        false);
            }
        }
        if (value.isArray()) {
            add(cases, name + " has 10,000 elements", replaced(name, "[" + "\"x\",".repeat(9_999) + "\"x\"]"), loose);
        }
        add(
                cases,
                name + " nested 10,000 arrays deep",
                replaced(name, "[".repeat(DEEP_NESTING) + "]".repeat(DEEP_NESTING)),
                false);
        add(
                cases,
                name + " nested 10,000 objects deep",
                replaced(name, "{\"a\":".repeat(DEEP_NESTING) + "1" + "}".repeat(DEEP_NESTING)),
                false);
        add(
                cases,
                name + " given twice",
                utf8(exampleText.substring(0, exampleText.length() - 1) + ","
                        + JSON.valueToTree(name).toString() + ":" + value + "}"),
                false);
        // names are matched exactly: another spelling is an unknown field (skipped where it is the same name)
        for (String other : List.of(
                name.toUpperCase(Locale.ROOT), name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT))) {
            if (!other.equals(name)) {
                add(cases, name + " spelled " + other, renamed(name, other), false);
            }
        }
    }

    /**
     * Every string below the top level (a list element, a chat message's content, a content part's text,
     * a label object's name) once with a lone high and once with a lone low surrogate: refused wherever
     * the text sits, also in fields kept as JSON trees or read by a custom deserializer.
     */
    private void nestedText(Map<String, Case> cases, JsonNode node, String path) {
        if (node.isTextual() && path.matches(".*[.\\[].*")) {
            add(cases, path + " has a lone high surrogate", replacedAt(path, "\"a\\ud800b\""), false);
            add(cases, path + " has a lone low surrogate", replacedAt(path, "\"\\udc00\""), false);
        }
        if (node.isObject()) {
            node.properties()
                    .forEach(field -> nestedText(
                            cases, field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey()));
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            nestedText(cases, node.get(i), path + "[" + i + "]");
        }
    }

    /** The example with the string at {@code path} (as {@link #nestedText} names it) replaced by raw JSON. */
    private byte[] replacedAt(String path, String json) {
        ObjectNode copy = example.deepCopy();
        JsonNode parent = copy;
        String[] steps = path.replace("[", ".[").split("\\.");
        for (int i = 0; i < steps.length - 1; i++) {
            parent = steps[i].startsWith("[") ? parent.get(index(steps[i])) : parent.get(steps[i]);
        }
        String last = steps[steps.length - 1];
        if (last.startsWith("[")) {
            ((ArrayNode) parent).set(index(last), TextNode.valueOf("\u0000PLACEHOLDER\u0000"));
        } else {
            ((ObjectNode) parent).put(last, "\u0000PLACEHOLDER\u0000");
        }
        try {
            return utf8(JSON.writeValueAsString(copy).replace("\"\\u0000PLACEHOLDER\\u0000\"", json));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int index(String step) {
        return Integer.parseInt(step.substring(1, step.length() - 1));
    }

    private void whole(Map<String, Case> cases) {
        add(cases, "empty body", new byte[0], false);
        add(cases, "whitespace body", utf8(" \n\t "), false);
        for (String body : List.of(
                "null",
                "[]",
                "[" + exampleText + "]",
                "\"text\"",
                "42",
                "true",
                "{",
                "}",
                "{}}",
                "{,}",
                "{'a':1}",
                "{a:1}",
                "//x\n" + exampleText,
                exampleText + " x",
                exampleText + exampleText)) {
            add(cases, "body " + shorten(body), utf8(body), false);
        }
        add(cases, "body {} (required fields missing)", utf8("{}"), false);
        add(
                cases,
                "an unknown field",
                utf8(exampleText.substring(0, exampleText.length() - 1) + ",\"zzUnknown\":1}"),
                false);
        add(cases, "an empty field name", utf8(exampleText.substring(0, exampleText.length() - 1) + ",\"\":1}"), false);
        add(cases, "body nested 10,000 arrays deep", utf8("[".repeat(DEEP_NESTING) + "]".repeat(DEEP_NESTING)), false);
        add(cases, "body 10,000 open arrays", utf8("[".repeat(DEEP_NESTING)), false);
        add(cases, "body 10,000 open objects", utf8("{\"a\":".repeat(DEEP_NESTING)), false);
        add(cases, "body is a UTF-8 BOM alone", HexFormat.of().parseHex("efbbbf"), false);
        add(cases, "body is NUL bytes", new byte[16], false);
        cases.put(
                "valid body as text/plain",
                new Case("valid body as text/plain", utf8(exampleText), "text/plain", true));
        cases.put("XML body", new Case("XML body", utf8("<request><a>1</a></request>"), "application/xml", false));
        cases.put("form body", new Case("form body", utf8("a=1&b=2"), "application/x-www-form-urlencoded", false));
        cases.put(
                "multipart body",
                new Case(
                        "multipart body",
                        utf8("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"),
                        "multipart/form-data; boundary=b",
                        false));
    }

    private void mutate(Map<String, Case> cases, Random random, int i) {
        byte[] bytes = exampleText.getBytes(StandardCharsets.UTF_8);
        int changes = 1 + random.nextInt(3);
        StringBuilder what = new StringBuilder();
        for (int c = 0; c < changes; c++) {
            int at = random.nextInt(bytes.length);
            byte to = (byte) random.nextInt(256);
            what.append(c == 0 ? "" : ",")
                    .append(at)
                    .append('=')
                    .append(HexFormat.of().toHexDigits(to));
            bytes[at] = to;
        }
        // a byte changed inside a string value can leave a valid request: only a parse failure proves it bad
        add(cases, "mutation " + i + " [" + what + "]", bytes, parsesAsObject(bytes));
    }

    private byte[] replaced(String name, String json) {
        ObjectNode copy = example.deepCopy();
        copy.put(name, "\u0000PLACEHOLDER\u0000");
        String text;
        try {
            text = JSON.writeValueAsString(copy);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return utf8(text.replace("\"\\u0000PLACEHOLDER\\u0000\"", json));
    }

    private byte[] replacedBytes(String name, String before, byte[] raw, String after) {
        byte[] template = replaced(name, "\"" + before + "\u0001RAW\u0001" + after + "\"");
        String text = new String(template, StandardCharsets.UTF_8);
        int at = text.indexOf("\u0001RAW\u0001");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(text.substring(0, at)));
        out.writeBytes(raw);
        out.writeBytes(utf8(text.substring(at + 5)));
        return out.toByteArray();
    }

    private byte[] renamed(String name, String newName) {
        ObjectNode copy = JSON.createObjectNode();
        example.properties().forEach(e -> copy.set(e.getKey().equals(name) ? newName : e.getKey(), e.getValue()));
        return utf8(copy.toString());
    }

    /** Whether a strict parser reads the bytes as one JSON object with unique keys (the bytes might then be valid). */
    static boolean parsesAsObject(byte[] bytes) {
        JsonFactory strict = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        try (JsonParser parser = strict.createParser(bytes)) {
            JsonNode node = new ObjectMapper(strict).readTree(parser);
            return node != null && node.isObject() && parser.nextToken() == null;
        } catch (Exception e) {
            return false;
        }
    }

    private static void add(Map<String, Case> cases, String name, byte[] body, boolean mayBeValid) {
        cases.putIfAbsent(name, new Case(name, body, JSON_TYPE, mayBeValid));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String shorten(String body) {
        String oneLine = body.replace("\n", "\\n");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...";
    }
}
