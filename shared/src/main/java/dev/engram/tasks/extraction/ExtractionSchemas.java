package dev.engram.tasks.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.inference.structured.ResponseFormat;
import java.io.UncheckedIOException;

/**
 * The JSON the model writes for each strategy, as schemas the structured decoding enforces token by
 * token. Every string and list is bounded, so a document fits the extraction's token budget even on a
 * small model's context (a few hundred tokens) and always parses when the model finishes it.
 */
final class ExtractionSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LABELS = """
            {"type": "array", "maxItems": 2, "items": {"type": "string", "minLength": 1, "maxLength": 12}}""";

    /** {@code {"summary": str, "topics": [str]}}. */
    static final ResponseFormat SUMMARY = format("memory_summary", """
            {"type": "object", "properties": {"summary": {"type": "string", "minLength": 1, "maxLength": 200},
             "topics": %s}, "required": ["summary", "topics"], "additionalProperties": false}""".formatted(LABELS));

    /** {@code {"memories": [{"type", "text", "time", "topics", "entities"}]}}, types as given. */
    static ResponseFormat facts(String name, String types) {
        return format(name, """
                {"type": "object", "properties": {"memories": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "object",
                 "properties": {"type": {"enum": [%s]}, "text": {"type": "string", "minLength": 1, "maxLength": 80},
                 "time": {"type": "string", "maxLength": 16}, "topics": %s, "entities": %s},
                 "required": ["type", "text", "time", "topics", "entities"], "additionalProperties": false}}},
                 "required": ["memories"], "additionalProperties": false}""".formatted(types, LABELS, LABELS));
    }

    static final ResponseFormat DISCRETE = facts("memory_facts", "\"semantic\", \"preference\", \"episodic\"");
    static final ResponseFormat PREFERENCES = facts("memory_preferences", "\"preference\"");

    private ExtractionSchemas() {}

    private static ResponseFormat format(String name, String schema) {
        try {
            JsonNode node = JSON.readTree(schema);
            return ResponseFormat.jsonSchema(name, node);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String text) throws java.io.IOException {
        return JSON.readTree(text);
    }
}
