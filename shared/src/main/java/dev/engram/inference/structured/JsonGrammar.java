package dev.engram.inference.structured;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/**
 * A JSON Schema compiled into a byte-level automaton that accepts exactly the compact JSON documents
 * Engram produces for it: no whitespace but one optional space at the start and after {@code :} and
 * {@code ,}; declared properties in declaration order; numbers without exponent. Every document it
 * accepts is valid against the schema, and from every prefix it accepts a complete document can still
 * be reached. Independent of any tokenizer; {@link StructuredDecoding} runs it over a vocabulary.
 */
public final class JsonGrammar {
    private final State start;

    JsonGrammar(Shape root) {
        this.start = State.push(new Values.ValueStart(root, true), State.DONE);
    }

    /**
     * Compiles {@code schema}; null means any JSON object ({@code response_format: json_object}).
     *
     * @throws dev.engram.errors.InvalidRequestException (400, {@code invalid_schema} or
     *     {@code unsupported_schema}) naming the keyword and where it is
     */
    public static JsonGrammar compile(JsonNode schema) {
        return new JsonGrammar(schema == null ? Containers.ANY_OBJECT : SchemaCompiler.compile(schema));
    }

    /** Whether {@code text} is a complete document this grammar accepts. */
    public boolean matches(String text) {
        State state = start;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            state = State.step(state, b & 0xFF);
            if (state == null) {
                return false;
            }
        }
        return State.completes(state);
    }

    State start() {
        return start;
    }
}
