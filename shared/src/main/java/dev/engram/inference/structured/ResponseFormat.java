package dev.engram.inference.structured;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * What a generation must produce: any JSON object, or a JSON document valid against a schema. Built
 * from a request, it is checked at once (a schema the automaton cannot guarantee is a 400 before the
 * model is touched); engines compile it again per vocabulary, cached by {@link #key()}.
 */
public final class ResponseFormat {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final JsonNode schema;
    private final JsonGrammar grammar;

    private ResponseFormat(String name, JsonNode schema) {
        this.name = name;
        this.schema = schema == null ? null : schema.deepCopy();
        this.grammar = JsonGrammar.compile(this.schema);
    }

    /** Any JSON object (OpenAI's {@code {"type": "json_object"}}). */
    public static ResponseFormat jsonObject() {
        return new ResponseFormat(null, null);
    }

    /**
     * A document valid against {@code schema} (OpenAI's {@code json_schema}).
     *
     * @param name the schema's name as the caller gave it (passed on to remote servers), or null
     * @throws dev.engram.errors.InvalidRequestException when the schema is invalid or not supported
     */
    public static ResponseFormat jsonSchema(String name, JsonNode schema) {
        if (schema == null) {
            throw new IllegalArgumentException("schema");
        }
        return new ResponseFormat(name, schema);
    }

    /** The schema's name, or null. */
    public String name() {
        return name;
    }

    /** The schema, or null for any JSON object. */
    public JsonNode schema() {
        return schema;
    }

    /** The same for equal schemas: what compiled grammars are cached by. */
    public String key() {
        return schema == null ? "json_object" : schema.toString();
    }

    JsonGrammar grammar() {
        return grammar;
    }

    /**
     * Whether {@code text} is a whole document: accepted by the grammar (what the in-process engine
     * produces), or, from a remote server that formats its JSON its own way, one complete JSON value.
     */
    public boolean complete(String text) {
        if (grammar.matches(text)) {
            return true;
        }
        try (var parser = JSON.createParser(text)) {
            JSON.readTree(parser);
            return parser.nextToken() == null && !text.isBlank();
        } catch (IOException e) {
            return false;
        }
    }
}
