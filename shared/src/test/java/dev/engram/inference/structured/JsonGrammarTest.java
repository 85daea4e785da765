package dev.engram.inference.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.errors.InvalidRequestException;
import dev.engram.testing.SchemaValidator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The automaton accepts exactly the prefixes of valid documents: every valid compact document (made
 * independently, confirmed by a schema validator) is accepted with all its prefixes, and every prefix
 * it accepts — reached by random bytes — still completes to a document the validator accepts.
 */
class JsonGrammarTest {
    /** Bytes tried first when completing a prefix: closers and short values end documents soonest. */
    private static final byte[] CLOSERS = "\"}]0,:1 a".getBytes(StandardCharsets.US_ASCII);

    @Test
    void everyAcceptedPrefixCompletesToAValidDocument() {
        Random random = new Random(1);
        for (String schema : TestSchemas.ALL) {
            JsonGrammar grammar = JsonGrammar.compile(node(schema));
            for (int walk = 0; walk < 300; walk++) {
                ByteArrayOutputStream prefix = new ByteArrayOutputStream();
                State state = grammar.start();
                for (int length = random.nextInt(60); length > 0; length--) {
                    List<Integer> accepted = accepted(state);
                    if (accepted.isEmpty()) {
                        break;
                    }
                    int b = accepted.get(random.nextInt(accepted.size()));
                    prefix.write(b);
                    state = State.step(state, b);
                }
                if (accepted(state).isEmpty()) {
                    assertThat(State.completes(state))
                            .as("dead end after %s", prefix.toString(StandardCharsets.UTF_8))
                            .isTrue();
                }
                byte[] rest = completion(state);
                assertThat(rest)
                        .as("no completion after '%s' for %s", prefix.toString(StandardCharsets.UTF_8), schema)
                        .isNotNull();
                prefix.writeBytes(rest);
                String document = prefix.toString(StandardCharsets.UTF_8);
                assertThat(prefix.toByteArray()).as("valid UTF-8").isEqualTo(document.getBytes(StandardCharsets.UTF_8));
                assertThat(grammar.matches(document)).isTrue();
                assertThat(SchemaValidator.errors(schema, document))
                        .as("%s against %s", document, schema)
                        .isEmpty();
            }
        }
    }

    @Test
    void validDocumentsAndAllTheirPrefixesAreAccepted() throws Exception {
        Random random = new Random(2);
        for (String schema : TestSchemas.ALL) {
            JsonGrammar grammar = JsonGrammar.compile(node(schema));
            Instances instances = new Instances(node(schema), random);
            for (int i = 0; i < 200; i++) {
                String document = instances.next();
                assertThat(SchemaValidator.errors(schema, document))
                        .as("the generator's %s for %s", document, schema)
                        .isEmpty();
                for (String form : List.of(document, spaced(document), " " + document)) {
                    byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
                    State state = grammar.start();
                    for (int k = 0; k < bytes.length; k++) {
                        state = State.step(state, bytes[k] & 0xFF);
                        assertThat(state)
                                .as("'%s' refused at byte %d for %s", form, k, schema)
                                .isNotNull();
                    }
                    assertThat(State.completes(state)).as("'%s' complete", form).isTrue();
                }
            }
        }
    }

    @Test
    void aMutatedDocumentIsAcceptedOnlyWhenItIsStillValid() throws Exception {
        Random random = new Random(3);
        byte[] alphabet = "{}[],:\" \\0123456789-.etrufalsnxé\u0001".getBytes(StandardCharsets.UTF_8);
        int refused = 0;
        for (String schema : TestSchemas.ALL) {
            JsonGrammar grammar = JsonGrammar.compile(node(schema));
            Instances instances = new Instances(node(schema), random);
            for (int i = 0; i < 100; i++) {
                byte[] document = instances.next().getBytes(StandardCharsets.UTF_8);
                for (int m = 0; m < 10; m++) {
                    byte[] mutated = mutate(document, alphabet, random);
                    String text = new String(mutated, StandardCharsets.UTF_8);
                    if (accepts(grammar, mutated)) {
                        assertThat(SchemaValidator.errors(schema, text))
                                .as("accepted %s for %s", text, schema)
                                .isEmpty();
                    } else {
                        refused++;
                    }
                }
            }
        }
        assertThat(refused).isGreaterThan(1000);
    }

    @Test
    void stringsAreValidUnicodeAndCountCharacters() {
        JsonGrammar grammar = JsonGrammar.compile(node("{\"type\": \"string\", \"maxLength\": 2}"));
        assertThat(grammar.matches("\"\\u00e9\\n\"")).isTrue();
        assertThat(grammar.matches("\"😀é\""))
                .as("code points, not UTF-16 units")
                .isTrue();
        assertThat(grammar.matches("\"abc\"")).isFalse();
        assertThat(grammar.matches("\"\\ud83d\\ude00\""))
                .as("escaped surrogates are refused")
                .isFalse();
        assertThat(accepts(grammar, new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}))
                .as("overlong UTF-8")
                .isFalse();
        assertThat(accepts(grammar, new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}))
                .as("a UTF-8 surrogate")
                .isFalse();
        assertThat(grammar.matches("\"a\nb\"")).as("a raw control character").isFalse();
    }

    @Test
    void numbersStayWithinTheirBoundsAtEveryDigit() {
        JsonGrammar grammar = JsonGrammar.compile(node("{\"type\": \"integer\", \"minimum\": -20, \"maximum\": -3}"));
        assertThat(prefixAccepted(grammar, "-2")).as("may become -20").isTrue();
        assertThat(grammar.matches("-2")).isFalse();
        assertThat(grammar.matches("-20")).isTrue();
        assertThat(prefixAccepted(grammar, "-21")).isFalse();
        assertThat(prefixAccepted(grammar, "-200")).isFalse();
        assertThat(prefixAccepted(grammar, "4")).isFalse();
        assertThat(prefixAccepted(grammar, "-03")).isFalse();
        assertThat(prefixAccepted(grammar, "-3.")).as("no point in an integer").isFalse();
        JsonGrammar fraction =
                JsonGrammar.compile(node("{\"type\": \"number\", \"exclusiveMinimum\": 0, \"maximum\": 0.5}"));
        assertThat(fraction.matches("0")).isFalse();
        assertThat(fraction.matches("0.5")).isTrue();
        assertThat(prefixAccepted(fraction, "0.50")).isTrue();
        assertThat(prefixAccepted(fraction, "0.501")).isFalse();
        assertThat(prefixAccepted(fraction, "1")).isFalse();
        assertThat(fraction.matches("0.000000000000001")).isTrue();
        assertThat(prefixAccepted(fraction, "0.0000000000000001"))
                .as("at most 15 decimals")
                .isFalse();
    }

    @Test
    void objectsKeepOrderRequiredPropertiesAndUniqueKeys() {
        JsonGrammar grammar = JsonGrammar.compile(node("""
                {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}, "c": {"type": "integer"}},
                 "required": ["b"]}"""));
        assertThat(grammar.matches("{\"b\":1}")).isTrue();
        assertThat(grammar.matches("{\"a\":1, \"b\":2,\"c\":3}")).isTrue();
        assertThat(grammar.matches("{\"a\":1}")).as("b is required").isFalse();
        assertThat(prefixAccepted(grammar, "{\"c\"")).as("b cannot be skipped").isFalse();
        assertThat(prefixAccepted(grammar, "{\"b\":1,\"a\""))
                .as("declaration order")
                .isFalse();
        assertThat(prefixAccepted(grammar, "{\"d\"")).isFalse();
        JsonGrammar map = JsonGrammar.compile(null);
        assertThat(map.matches("{\"a\":1,\"b\":[]}")).isTrue();
        assertThat(prefixAccepted(map, "{\"a\":1,\"a\":")).as("a duplicate key").isFalse();
        assertThat(prefixAccepted(map, "{\"a\":1,\"\\u0061\":"))
                .as("the same key escaped")
                .isFalse();
        assertThat(map.matches("[]")).as("json_object is an object").isFalse();
        assertThat(map.matches("{} ")).as("nothing after the document").isFalse();
    }

    @Test
    void unsupportedKeywordsAreRefusedByName() {
        for (String keyword : List.of(
                "pattern",
                "format",
                "oneOf",
                "not",
                "multipleOf",
                "minProperties",
                "uniqueItems",
                "prefixItems",
                "patternProperties",
                "if",
                "nullable")) {
            String schema =
                    "{\"type\": \"object\", \"properties\": {\"x\": {\"type\": \"string\", \"" + keyword + "\": 1}}}";
            assertThatThrownBy(() -> JsonGrammar.compile(node(schema)))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("'" + keyword + "'")
                    .hasMessageContaining("/properties/x/" + keyword)
                    .extracting(e -> ((InvalidRequestException) e).code())
                    .isEqualTo("unsupported_schema");
        }
        assertThatThrownBy(() ->
                        JsonGrammar.compile(node("{\"$ref\": \"#/$defs/a\", \"$defs\": {\"a\": {\"type\": \"array\", "
                                + "\"items\": {\"$ref\": \"#/$defs/a\"}}}}")))
                .hasMessageContaining("recursive '$ref'");
        assertThatThrownBy(() -> JsonGrammar.compile(node("{\"type\": \"array\", \"items\": [{}]}")))
                .hasMessageContaining("'items'");
        assertThatThrownBy(() -> JsonGrammar.compile(node("{\"type\": \"object\", \"required\": [\"x\"]}")))
                .hasMessageContaining("'x'");
        assertThatThrownBy(() -> JsonGrammar.compile(node("{\"type\": \"number\", \"exclusiveMinimum\": true}")))
                .hasMessageContaining("exclusiveMinimum");
    }

    @Test
    void schemasNoValueSatisfiesAreRefused() {
        for (String schema : List.of(
                "false",
                "{\"type\": \"string\", \"minLength\": 3, \"maxLength\": 2}",
                "{\"type\": \"integer\", \"minimum\": 0.2, \"maximum\": 0.8}",
                "{\"type\": \"string\", \"enum\": [1, 2]}",
                "{\"enum\": [\"abc\"], \"maxLength\": 2}",
                "{\"type\": \"array\", \"minItems\": 3, \"maxItems\": 1}",
                "{\"type\": \"number\", \"minimum\": 1e20}",
                "{\"type\": \"kind\"}")) {
            assertThatThrownBy(() -> JsonGrammar.compile(node(schema)))
                    .as(schema)
                    .isInstanceOf(InvalidRequestException.class)
                    .extracting(e -> ((InvalidRequestException) e).code())
                    .isEqualTo("invalid_schema");
        }
    }

    /** The document with a space after every ':' and ',' outside strings. */
    static String spaced(String document) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < document.length(); i++) {
            char c = document.charAt(i);
            out.append(c);
            if (c == '"' && (i == 0 || document.charAt(i - 1) != '\\' || escapedBackslash(document, i))) {
                inString = !inString;
            } else if (!inString && (c == ':' || c == ',')) {
                out.append(' ');
            }
        }
        return out.toString();
    }

    private static boolean escapedBackslash(String text, int quote) {
        int backslashes = 0;
        for (int i = quote - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 0;
    }

    static List<Integer> accepted(State state) {
        List<Integer> bytes = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            if (State.step(state, b) != null) {
                bytes.add(b);
            }
        }
        return bytes;
    }

    /** A shortest-first search for bytes that complete the document from {@code state}, or null. */
    static byte[] completion(State state) {
        return complete(state, new HashSet<>(), 0);
    }

    private static byte[] complete(State state, Set<State> seen, int depth) {
        if (State.completes(state)) {
            return new byte[0];
        }
        if (depth > 200) {
            return null;
        }
        for (int i = 0; i < 256 + CLOSERS.length; i++) {
            int b = i < CLOSERS.length ? CLOSERS[i] & 0xFF : i - CLOSERS.length;
            State next = State.step(state, b);
            if (next != null && seen.add(next)) {
                byte[] rest = complete(next, seen, depth + 1);
                if (rest != null) {
                    byte[] all = new byte[rest.length + 1];
                    all[0] = (byte) b;
                    System.arraycopy(rest, 0, all, 1, rest.length);
                    return all;
                }
            }
        }
        return null;
    }

    private static byte[] mutate(byte[] document, byte[] alphabet, Random random) {
        int at = random.nextInt(document.length + 1);
        byte b = alphabet[random.nextInt(alphabet.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(document, 0, at);
        switch (random.nextInt(3)) {
            case 0 -> out.write(b);
            case 1 -> {
                out.write(b);
                at++;
            }
            default -> at++;
        }
        if (at < document.length) {
            out.write(document, at, document.length - at);
        }
        return out.toByteArray();
    }

    static boolean accepts(JsonGrammar grammar, byte[] bytes) {
        State state = grammar.start();
        for (byte b : bytes) {
            state = State.step(state, b & 0xFF);
            if (state == null) {
                return false;
            }
        }
        return State.completes(state);
    }

    static boolean prefixAccepted(JsonGrammar grammar, String prefix) {
        State state = grammar.start();
        for (byte b : prefix.getBytes(StandardCharsets.UTF_8)) {
            state = State.step(state, b & 0xFF);
            if (state == null) {
                return false;
            }
        }
        return true;
    }

    static JsonNode node(String schema) {
        try {
            return schema == null ? null : Instances.JSON.readTree(schema);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
