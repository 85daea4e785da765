package dev.engram.inference.structured;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.engram.errors.InvalidRequestException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Set;

/** The JSON Schema keywords {@link SchemaCompiler} knows, and how it reads their values and reports them. */
final class SchemaKeywords {
    private SchemaKeywords() {}

    static final Set<String> ANNOTATIONS = Set.of(
            "title",
            "description",
            "$schema",
            "$id",
            "$comment",
            "examples",
            "default",
            "deprecated",
            "readOnly",
            "writeOnly",
            "$defs",
            "definitions");
    static final Set<String> OBJECT = Set.of("properties", "required", "additionalProperties");
    static final Set<String> ARRAY = Set.of("items", "minItems", "maxItems");
    static final Set<String> STRING = Set.of("minLength", "maxLength");
    static final Set<String> NUMBER = Set.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum");
    static final Set<String> COMBINATORS = Set.of("type", "enum", "const", "anyOf", "allOf", "$ref");
    static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
    static final ObjectMapper JSON = new ObjectMapper();

    static BigDecimal bound(JsonNode schema, String keyword, String at) {
        JsonNode value = schema.get(keyword);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw unsupported(pointer(at, keyword), "'" + keyword + "' must be a number");
        }
        return value.decimalValue();
    }

    static int count(JsonNode schema, String keyword, String at, int absent) {
        JsonNode value = schema.get(keyword);
        if (value == null) {
            return absent;
        }
        if (!value.canConvertToExactIntegral() || value.asLong(-1) < 0 || value.asLong() > Integer.MAX_VALUE) {
            throw invalid(pointer(at, keyword), "'" + keyword + "' must be a non-negative integer");
        }
        return value.asInt();
    }

    static boolean hasAssertionsBesides(JsonNode schema) {
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String keyword = names.next();
            if (!ANNOTATIONS.contains(keyword) && !keyword.equals("enum") && !keyword.equals("const")) {
                return true;
            }
        }
        return false;
    }

    static void onlyAnnotationsBeside(JsonNode schema, String combinator, String at) {
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String keyword = names.next();
            if (!keyword.equals(combinator) && !ANNOTATIONS.contains(keyword)) {
                throw unsupported(
                        pointer(at, keyword),
                        "'" + keyword + "' beside '" + combinator + "' is not supported; " + "move it into the "
                                + (combinator.equals("$ref") ? "referenced schema" : "alternatives"));
            }
        }
    }

    static boolean contains(JsonNode list, JsonNode value) {
        for (JsonNode element : list) {
            if (element.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** The compact JSON text of a value: the exact bytes the automaton lets through for an enum value. */
    static String text(JsonNode value) {
        String text;
        try {
            text = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidRequestException(
                        "invalid_schema",
                        "The schema holds a string with an unpaired UTF-16 surrogate: "
                                + "not valid Unicode, so no output could hold it");
            }
        }
        return text;
    }

    static String pointer(String at, String name) {
        return at + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static InvalidRequestException invalid(String at, String message) {
        return new InvalidRequestException(
                "invalid_schema", "Invalid JSON Schema at '" + (at.isEmpty() ? "/" : at) + "': " + message);
    }

    static InvalidRequestException unsupported(String at, String message) {
        return new InvalidRequestException("unsupported_schema", "Unsupported JSON Schema at '" + at + "': " + message);
    }
}
