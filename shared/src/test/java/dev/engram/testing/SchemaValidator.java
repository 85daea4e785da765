package dev.engram.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;

/**
 * An independent check of structured output: networknt's JSON Schema validator (draft 2020-12) over
 * the text as a JSON parser reads it.
 */
public final class SchemaValidator {
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final String ANY_OBJECT = "{\"type\": \"object\"}";
    /** Strict as Engram's own request parsing: a duplicate key or trailing text is not one JSON document. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SchemaValidator() {}

    /** The validator's complaints about {@code json} against {@code schema} (null: any JSON object); empty when valid. */
    public static List<String> errors(String schema, String json) {
        Schema compiled = REGISTRY.getSchema(schema == null ? ANY_OBJECT : schema, InputFormat.JSON);
        try {
            STRICT.readTree(json);
        } catch (Exception e) {
            return List.of("not one JSON document: " + e.getMessage());
        }
        try {
            return compiled.validate(json, InputFormat.JSON).stream()
                    .map(Object::toString)
                    .toList();
        } catch (RuntimeException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }
}
