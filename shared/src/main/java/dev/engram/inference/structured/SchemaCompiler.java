package dev.engram.inference.structured;

import static dev.engram.inference.structured.SchemaKeywords.ANNOTATIONS;
import static dev.engram.inference.structured.SchemaKeywords.ARRAY;
import static dev.engram.inference.structured.SchemaKeywords.COMBINATORS;
import static dev.engram.inference.structured.SchemaKeywords.NUMBER;
import static dev.engram.inference.structured.SchemaKeywords.OBJECT;
import static dev.engram.inference.structured.SchemaKeywords.STRING;
import static dev.engram.inference.structured.SchemaKeywords.TYPES;
import static dev.engram.inference.structured.SchemaKeywords.bound;
import static dev.engram.inference.structured.SchemaKeywords.contains;
import static dev.engram.inference.structured.SchemaKeywords.count;
import static dev.engram.inference.structured.SchemaKeywords.hasAssertionsBesides;
import static dev.engram.inference.structured.SchemaKeywords.invalid;
import static dev.engram.inference.structured.SchemaKeywords.onlyAnnotationsBeside;
import static dev.engram.inference.structured.SchemaKeywords.pointer;
import static dev.engram.inference.structured.SchemaKeywords.text;
import static dev.engram.inference.structured.SchemaKeywords.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.engram.errors.InvalidRequestException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a JSON Schema into {@link Shape}s, refusing what the automaton cannot guarantee: an unknown
 * or unsupported keyword, a malformed value, or a schema no value can satisfy is a 400 naming the
 * keyword and where it is (a JSON pointer into the schema).
 */
final class SchemaCompiler {
    static final int MAX_PROPERTIES = 64;
    static final int MAX_ENUM = 1024;
    static final int MAX_DEPTH = 32;
    /** Compiled nodes at most: {@code $ref}s are inlined, and a few refs can multiply a schema. */
    static final int MAX_NODES = 10_000;

    private final JsonNode root;
    private final Set<String> resolving = new HashSet<>();
    private int nodes;

    private SchemaCompiler(JsonNode root) {
        this.root = root;
    }

    static Shape compile(JsonNode schema) {
        return new SchemaCompiler(schema).shape(schema, "", 0);
    }

    private Shape shape(JsonNode schema, String at, int depth) {
        if (++nodes > MAX_NODES) {
            throw invalid(at, "the schema expands to more than " + MAX_NODES + " nodes");
        }
        if (depth > MAX_DEPTH) {
            throw invalid(at, "the schema nests deeper than " + MAX_DEPTH + " levels");
        }
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                throw invalid(at, "the schema 'false' allows no value");
            }
            return Shape.Any.VALUE;
        }
        if (!schema.isObject()) {
            throw invalid(at, "a schema must be an object or a boolean");
        }
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String keyword = names.next();
            if (!ANNOTATIONS.contains(keyword)
                    && !COMBINATORS.contains(keyword)
                    && !OBJECT.contains(keyword)
                    && !ARRAY.contains(keyword)
                    && !STRING.contains(keyword)
                    && !NUMBER.contains(keyword)) {
                throw new InvalidRequestException(
                        "unsupported_schema",
                        "JSON Schema keyword '" + keyword + "' (at "
                                + pointer(at, keyword)
                                + ") is not supported in structured output; supported: type, properties, "
                                + "required, additionalProperties, items, minItems, maxItems, minLength, maxLength, minimum, maximum, "
                                + "exclusiveMinimum, exclusiveMaximum, enum, const, anyOf, allOf (one schema), $ref (to $defs)");
            }
        }
        if (schema.has("$ref")) {
            return reference(schema, at, depth);
        }
        if (schema.has("allOf")) {
            JsonNode all = schema.get("allOf");
            if (!all.isArray() || all.size() != 1) {
                throw unsupported(pointer(at, "allOf"), "'allOf' is supported with exactly one schema");
            }
            onlyAnnotationsBeside(schema, "allOf", at);
            return shape(all.get(0), pointer(at, "allOf") + "/0", depth + 1);
        }
        if (schema.has("anyOf")) {
            onlyAnnotationsBeside(schema, "anyOf", at);
            JsonNode any = schema.get("anyOf");
            if (!any.isArray() || any.isEmpty()) {
                throw invalid(pointer(at, "anyOf"), "'anyOf' must be a non-empty array of schemas");
            }
            List<Shape> alternatives = new ArrayList<>();
            for (int i = 0; i < any.size(); i++) {
                alternatives.add(shape(any.get(i), pointer(at, "anyOf") + "/" + i, depth + 1));
            }
            return alternatives.size() == 1 ? alternatives.getFirst() : new Shape.Union(alternatives);
        }
        if (schema.has("enum") || schema.has("const")) {
            return literal(schema, at, depth);
        }
        return typed(schema, at, depth);
    }

    /** A {@code $ref} to {@code #}, {@code #/$defs/…} or {@code #/definitions/…}, inlined; a cycle is refused. */
    private Shape reference(JsonNode schema, String at, int depth) {
        onlyAnnotationsBeside(schema, "$ref", at);
        JsonNode ref = schema.get("$ref");
        if (!ref.isTextual() || !ref.asText().startsWith("#")) {
            throw unsupported(pointer(at, "$ref"), "'$ref' must point into this schema ('#/$defs/Name')");
        }
        String target = ref.asText().substring(1);
        JsonNode resolved = target.isEmpty() ? root : root.at(target);
        if (resolved.isMissingNode()) {
            throw invalid(pointer(at, "$ref"), "'$ref' points at '" + ref.asText() + "', which is not in the schema");
        }
        if (!resolving.add(target)) {
            throw unsupported(pointer(at, "$ref"), "recursive '$ref' ('" + ref.asText() + "') is not supported");
        }
        try {
            return shape(resolved, target, depth + 1);
        } finally {
            resolving.remove(target);
        }
    }

    private Shape literal(JsonNode schema, String at, int depth) {
        List<JsonNode> values = new ArrayList<>();
        if (schema.has("const")) {
            values.add(schema.get("const"));
        }
        if (schema.has("enum")) {
            JsonNode list = schema.get("enum");
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_ENUM) {
                throw invalid(pointer(at, "enum"), "'enum' must be an array of 1 to " + MAX_ENUM + " values");
            }
            if (schema.has("const")) {
                values.removeIf(c -> !contains(list, c));
            } else {
                list.forEach(values::add);
            }
        }
        // The other keywords still apply: keep the values they accept (the automaton of the rest decides).
        JsonGrammar rest = hasAssertionsBesides(schema) ? new JsonGrammar(typed(schema, at, depth)) : null;
        Set<String> texts = new LinkedHashSet<>();
        for (JsonNode value : values) {
            String text = text(value);
            if (rest == null || rest.matches(text)) {
                texts.add(text);
            }
        }
        if (texts.isEmpty()) {
            throw invalid(at, "no value of 'enum'/'const' satisfies the schema's other keywords");
        }
        return new Shape.Literal(List.copyOf(texts));
    }

    private Shape typed(JsonNode schema, String at, int depth) {
        Set<String> types = new LinkedHashSet<>();
        JsonNode type = schema.get("type");
        if (type == null) {
            // Keywords only constrain values of their own type: produce the types they name (any value without).
            if (OBJECT.stream().anyMatch(schema::has)) {
                types.add("object");
            }
            if (ARRAY.stream().anyMatch(schema::has)) {
                types.add("array");
            }
            if (STRING.stream().anyMatch(schema::has)) {
                types.add("string");
            }
            if (NUMBER.stream().anyMatch(schema::has)) {
                types.add("number");
            }
            if (types.isEmpty()) {
                return Shape.Any.VALUE;
            }
        } else if (type.isTextual()) {
            types.add(type.asText());
        } else if (type.isArray() && !type.isEmpty()) {
            type.forEach(t -> types.add(t.asText()));
        } else {
            throw invalid(pointer(at, "type"), "'type' must be a type name or a non-empty array of them");
        }
        List<Shape> shapes = new ArrayList<>();
        for (String name : types) {
            shapes.add(
                    switch (name) {
                        case "object" -> object(schema, at, depth);
                        case "array" -> array(schema, at, depth);
                        case "string" -> string(schema, at);
                        case "number", "integer" -> number(schema, at, name.equals("integer"));
                        case "boolean" -> Shape.Literal.BOOLEAN;
                        case "null" -> Shape.Literal.NULL;
                        default -> throw invalid(pointer(at, "type"), "unknown type '" + name + "'; one of " + TYPES);
                    });
        }
        return shapes.size() == 1 ? shapes.getFirst() : new Shape.Union(shapes);
    }

    private Shape object(JsonNode schema, String at, int depth) {
        JsonNode properties = schema.path("properties");
        if (!properties.isMissingNode() && !properties.isObject()) {
            throw invalid(pointer(at, "properties"), "'properties' must be an object");
        }
        Set<String> required = new HashSet<>();
        JsonNode requiredList = schema.path("required");
        if (!requiredList.isMissingNode()) {
            if (!requiredList.isArray()) {
                throw invalid(pointer(at, "required"), "'required' must be an array of property names");
            }
            for (JsonNode name : requiredList) {
                if (!name.isTextual()) {
                    throw invalid(pointer(at, "required"), "'required' must be an array of property names");
                }
                required.add(name.asText());
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && !additional.isBoolean() && !additional.isObject()) {
            throw invalid(pointer(at, "additionalProperties"), "'additionalProperties' must be a boolean or a schema");
        }
        if (properties.size() > MAX_PROPERTIES) {
            throw unsupported(
                    pointer(at, "properties"), "at most " + MAX_PROPERTIES + " properties per object are supported");
        }
        Map<String, Shape.Obj.Property> declared = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            Shape value = shape(field.getValue(), pointer(pointer(at, "properties"), name), depth + 1);
            String quoted = text(JsonNodeFactory.instance.textNode(name));
            byte[] key = quoted.substring(1, quoted.length() - 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            declared.put(name, new Shape.Obj.Property(name, key, value, required.contains(name)));
        }
        for (String name : required) {
            if (!declared.containsKey(name)) {
                throw unsupported(
                        pointer(at, "required"),
                        "required property '" + name + "' is not declared in 'properties'"
                                + " (only declared properties are produced)");
            }
        }
        if (!declared.isEmpty()) {
            // Only the declared properties are produced, so extra ones (allowed or not) never appear.
            if (additional != null && additional.isObject()) {
                shape(additional, pointer(at, "additionalProperties"), depth + 1);
            }
            return new Shape.Obj(List.copyOf(declared.values()), null);
        }
        Shape values = additional == null || additional.isBoolean() && additional.booleanValue()
                ? Shape.Any.VALUE
                : additional.isBoolean() ? null : shape(additional, pointer(at, "additionalProperties"), depth + 1);
        return new Shape.Obj(List.of(), values);
    }

    private Shape array(JsonNode schema, String at, int depth) {
        int min = count(schema, "minItems", at, 0);
        int max = count(schema, "maxItems", at, Integer.MAX_VALUE);
        if (min > max) {
            throw invalid(at, "'minItems' is larger than 'maxItems'");
        }
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) {
            throw unsupported(pointer(at, "items"), "'items' as an array (tuples) is not supported; give one schema");
        }
        if (items != null && items.isBoolean() && !items.booleanValue()) {
            if (min > 0) {
                throw invalid(at, "'items': false allows no element, but 'minItems' is " + min);
            }
            return new Shape.Arr(Shape.Any.VALUE, 0, 0);
        }
        return new Shape.Arr(items == null ? Shape.Any.VALUE : shape(items, pointer(at, "items"), depth + 1), min, max);
    }

    private Shape string(JsonNode schema, String at) {
        int min = count(schema, "minLength", at, 0);
        int max = count(schema, "maxLength", at, Integer.MAX_VALUE);
        if (min > max) {
            throw invalid(at, "'minLength' is larger than 'maxLength'");
        }
        return min == 0 && max == Integer.MAX_VALUE ? Shape.Str.ANY : new Shape.Str(min, max);
    }

    private Shape number(JsonNode schema, String at, boolean integer) {
        BigDecimal minimum = bound(schema, "minimum", at);
        BigDecimal maximum = bound(schema, "maximum", at);
        BigDecimal exclusiveMinimum = bound(schema, "exclusiveMinimum", at);
        BigDecimal exclusiveMaximum = bound(schema, "exclusiveMaximum", at);
        boolean minExclusive =
                exclusiveMinimum != null && (minimum == null || exclusiveMinimum.compareTo(minimum) >= 0);
        boolean maxExclusive =
                exclusiveMaximum != null && (maximum == null || exclusiveMaximum.compareTo(maximum) <= 0);
        Shape.Num shape = new Shape.Num(
                integer,
                minExclusive ? exclusiveMinimum : minimum,
                minExclusive,
                maxExclusive ? exclusiveMaximum : maximum,
                maxExclusive);
        if (!shape.bounded() && !integer) {
            return Shape.Num.ANY;
        }
        if (!NumberRange.reachable(shape, false, null, null, NumberRange.START)
                && !NumberRange.reachable(shape, true, null, null, NumberRange.START)) {
            throw invalid(
                    at,
                    "no " + (integer ? "integer" : "number") + " with at most " + Shape.Num.MAX_DIGITS
                            + " digits before and after the point lies within the bounds");
        }
        return shape;
    }
}
