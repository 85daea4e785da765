package dev.engram.inference.structured;

import java.util.List;

/** Schemas the structured-output tests run over: every supported keyword, nested and combined. */
final class TestSchemas {
    private TestSchemas() {}

    /** null stands for {@code json_object}. */
    static final List<String> ALL =
            java.util.Arrays.asList(null, "{}", """
            {"type": "object", "properties": {"name": {"type": "string", "maxLength": 12},
             "age": {"type": "integer", "minimum": 0, "maximum": 120},
             "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b", "c"]}, "maxItems": 3}},
             "required": ["name", "age"], "additionalProperties": false}""", """
            {"type": "array", "items": {"type": "number", "minimum": -1.5, "exclusiveMaximum": 2.25}, "minItems": 1, "maxItems": 4}""", """
            {"anyOf": [{"type": "string", "minLength": 2, "maxLength": 3}, {"type": "null"}, {"type": "integer", "minimum": 10, "maximum": 12}]}""", """
            {"type": "object", "properties": {"ok": {"type": "boolean"}, "kind": {"const": "x"}, "n": {"enum": [1, 12, 123, "1"]}},
             "required": ["ok", "kind", "n"]}""", """
            {"type": "object", "properties": {"user": {"type": "object", "properties": {"id": {"type": "integer"},
             "email": {"type": ["string", "null"]}}, "required": ["id"]},
             "items": {"type": "array", "items": {"$ref": "#/$defs/item"}}}, "required": ["user", "items"],
             "$defs": {"item": {"type": "object", "properties": {"sku": {"type": "string", "minLength": 1, "maxLength": 8},
             "qty": {"type": "integer", "exclusiveMinimum": 0, "maximum": 99}}, "required": ["sku", "qty"]}}}""", """
            {"type": "object", "additionalProperties": {"type": "integer", "minimum": -5, "maximum": 5}}""", """
            {"type": "string"}""", """
            {"type": "integer", "minimum": -20, "maximum": -3}""", """
            {"anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
             {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "boolean"}}, "required": ["a", "b"]}]}""", """
            {"type": "number", "minimum": 0.001, "maximum": 0.002}""", """
            {"type": "object", "properties": {"s": {"type": "string", "minLength": 3, "maxLength": 3}, "t": {"type": "string"}},
             "required": ["s"]}""", """
            {"type": "array", "items": {"type": "array", "items": {"type": "boolean"}, "maxItems": 2}, "minItems": 2, "maxItems": 2}""", """
            {"enum": [{"a": [1, 2]}, [true], "\\u00e9\\"\\\\n", 3.5, null]}""", """
            {"type": "object", "properties": {"title": {"type": "string", "description": "a title"},
             "score": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
             "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}, "minItems": 1, "maxItems": 2},
             "status": {"enum": ["draft", "published"]}, "draft": {"type": "boolean"}},
             "required": ["title", "score", "tags", "status"], "additionalProperties": false}""");
}
