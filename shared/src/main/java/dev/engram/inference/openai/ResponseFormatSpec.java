package dev.engram.inference.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code response_format}: {@code {"type": "text"}}, {@code {"type": "json_object"}} or
 * {@code {"type": "json_schema", "json_schema": {"name", "description"?, "schema", "strict"?}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record ResponseFormatSpec(
        String type, @JsonProperty("json_schema") JsonSchemaSpec jsonSchema) {

    /** The schema and its name; {@code strict} is accepted (Engram's output always follows the schema). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record JsonSchemaSpec(String name, String description, JsonNode schema, Boolean strict) {}
}
